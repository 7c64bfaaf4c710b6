import { useState } from "preact/hooks";
import { api, type AuthSchemas } from "../api/client";
import { can, currentUser } from "../session";
import { ErrorBox, Loading, formatTime, useAction, useApi, type Loaded } from "../ui";

type Role = AuthSchemas["RoleWithPermissions"];
type User = AuthSchemas["UserResponse"];

const ownTenant = () => currentUser()!.tenant_id!;

/** Users, roles with their permissions, and (platform administrators) tenants; each action for those who may. */
export function Admin() {
  const manageRoles = can("can_manage_roles");
  const users = useApi(async () => can("can_manage_users")
    ? await api.get("/api/v1/users/read-users", { query: { limit: 1000 } }) : null, []);
  const roles = useApi(async () => manageRoles
    ? await api.get("/api/v1/rbac/roles", { query: { tenant_id: ownTenant() } }) : null, []);
  return (
    <section>
      <h1>Administration</h1>
      {can("can_manage_users") && <Users users={users} />}
      {manageRoles && users.data && roles.data && <RoleMembership users={users.data.data ?? []} roles={roles.data} />}
      {manageRoles && <Roles roles={roles} />}
      <Tenants />
    </section>
  );
}

function Users({ users }: { users: Loaded<AuthSchemas["UsersPage"] | null> }) {
  return (
    <div>
      <h2>Users</h2>
      <Loading loaded={users} />
      <table data-testid="users"><thead><tr><th>Username</th><th>Name</th><th>Email</th><th>Active</th><th /></tr></thead>
        <tbody>{users.data?.data?.map((u) => <UserRow user={u} onChange={users.reload} />)}</tbody></table>
      <NewUser onCreated={users.reload} />
    </div>
  );
}

function UserRow({ user, onChange }: { user: User; onChange: () => void }) {
  // Deactivating ends the user's sessions; activating lets them sign in again.
  const toggle = useAction(async () => {
    await api.post(user.is_active ? "/api/v1/users/{user_id}/deactivate" : "/api/v1/users/{user_id}/activate",
      { params: { user_id: user.id! } });
    onChange();
  });
  return (
    <tr data-testid={`user-${user.username}`}>
      <td>{user.username}</td><td>{user.first_name} {user.last_name}</td><td>{user.email}</td>
      <td>{user.is_active ? "yes" : "no"}</td>
      <td><button class="link" disabled={toggle.busy} onClick={() => void toggle.run()}>
        {user.is_active ? "Deactivate" : "Activate"}</button><ErrorBox error={toggle.error} /></td>
    </tr>
  );
}

const NO_USER = { username: "", email: "", password: "", first_name: "", last_name: "" };

function NewUser({ onCreated }: { onCreated: () => void }) {
  const [form, setForm] = useState(NO_USER);
  const create = useAction(async () => {
    await api.post("/api/v1/users/create-user", { json: { ...form, tenant_id: ownTenant() } });
    setForm(NO_USER);
    onCreated();
  });
  return (
    <form class="card inline-form" data-testid="new-user" onSubmit={(e) => { e.preventDefault(); void create.run(); }}>
      <h3>New user</h3>
      {(Object.keys(NO_USER) as (keyof typeof NO_USER)[]).map((field) => (
        <label>{field.replace("_", " ")} {field === "password"
          ? <input name={field} type="password" value={form[field]} required
              onInput={(e) => setForm({ ...form, [field]: e.currentTarget.value })} />
          : <input name={field} value={form[field]} required={field !== "first_name" && field !== "last_name"}
              onInput={(e) => setForm({ ...form, [field]: e.currentTarget.value })} />}</label>))}
      <button type="submit" disabled={create.busy}>Create user</button>
      <ErrorBox error={create.error} />
    </form>
  );
}

/** Every role the user holds, page after page (the API pages every list). */
async function rolesOf(userId: number): Promise<Role[]> {
  const held: Role[] = [];
  for (;;) {
    const page = await api.get("/api/v1/users/{user_id}/roles",
      { params: { user_id: userId }, query: { skip: held.length, limit: 1000 } });
    held.push(...(page.data ?? []));
    if (!page.data?.length || held.length >= (page.total ?? 0)) return held;
  }
}

/**
 * A user's roles as the API lists them, and giving a role or taking it away. Taking a role away ends the user's
 * sessions: their tokens carry its permissions.
 */
function RoleMembership({ users, roles }: { users: User[]; roles: Role[] }) {
  const [userId, setUserId] = useState("");
  const [roleId, setRoleId] = useState("");
  // Tagged with the user they belong to, so a previous user's roles never show under the next one's name.
  const held = useApi(async () => userId ? { userId, roles: await rolesOf(Number(userId)) } : null, [userId]);
  const change = useAction(async (assign: boolean) => {
    const params = { user_id: Number(userId), role_id: Number(roleId) };
    await (assign
      ? api.post("/api/v1/users/{user_id}/roles", { params, json: { role_id: params.role_id } })
      : api.delete("/api/v1/users/{user_id}/roles/{role_id}", { params }));
    held.reload();
  });
  const username = users.find((u) => String(u.id) === userId)?.username;
  return (
    <form class="card" data-testid="role-membership" onSubmit={(e) => e.preventDefault()}>
      <h3>Role membership</h3>
      <label>User <select name="member_user" value={userId} required onChange={(e) => setUserId(e.currentTarget.value)}>
        <option value="">choose a user</option>
        {users.map((u) => <option value={u.id}>{u.username}</option>)}</select></label>
      <label>Role <select name="member_role" value={roleId} required onChange={(e) => setRoleId(e.currentTarget.value)}>
        <option value="">choose a role</option>
        {roles.map((r) => <option value={r.id}>{r.name}</option>)}</select></label>
      <div class="actions">
        <button type="button" disabled={change.busy || !userId || !roleId} onClick={() => void change.run(true)}>Assign role</button>
        <button type="button" class="danger" disabled={change.busy || !userId || !roleId}
          onClick={() => void change.run(false)}>Remove role</button>
      </div>
      {userId && <Loading loaded={held} />}
      {held.data?.userId === userId && <p data-testid="held-roles">{username} holds: {
        held.data.roles.map((r) => r.name).join(", ") || "no role"}</p>}
      <ErrorBox error={change.error} />
    </form>
  );
}

function Roles({ roles }: { roles: Loaded<Role[] | null> }) {
  const permissions = useApi(() => api.get("/api/v1/rbac/permissions", { query: { tenant_id: ownTenant() } }), []);
  const createRole = useAction((name: string) => api.post("/api/v1/rbac/roles", { json: { name, tenant_id: ownTenant() } }));
  const createPermission = useAction((name: string) =>
    api.post("/api/v1/rbac/permissions", { json: { name, tenant_id: ownTenant() } }));
  return (
    <div data-testid="role-editor">
      <h2>Roles and permissions</h2>
      <Loading loaded={roles} />
      <Loading loaded={permissions} />
      <table data-testid="roles"><thead><tr><th>Role</th><th>Permissions</th><th>Grant</th></tr></thead>
        <tbody>{roles.data?.map((r) => (
          <RoleRow role={r} permissions={permissions.data ?? []} onChange={roles.reload} />))}</tbody></table>
      <div class="grid">
        <NameForm title="New role" name="role_name" button="Create role" action={createRole} onDone={roles.reload} />
        <NameForm title="New permission" name="permission_name" button="Create permission" placeholder="custom:<name>"
          action={createPermission} onDone={permissions.reload} />
      </div>
    </div>
  );
}

/** A role's permissions, each revocable, and a choice of the tenant's others to grant. */
function RoleRow({ role, permissions, onChange }: { role: Role; permissions: AuthSchemas["PermissionResponse"][];
  onChange: () => void }) {
  const [grantId, setGrantId] = useState("");
  const grant = useAction(async (permissionId: number, granted: boolean) => {
    const params = { role_id: role.id!, permission_id: permissionId };
    await (granted ? api.post("/api/v1/rbac/roles/{role_id}/permissions", { params, json: { permission_id: permissionId } })
      : api.delete("/api/v1/rbac/roles/{role_id}/permissions/{permission_id}", { params }));
    setGrantId("");
    onChange();
  });
  const grantable = permissions.filter((p) => !role.permissions?.some((held) => held.id === p.id));
  return (
    <tr data-testid={`role-${role.name}`}>
      <td>{role.name}</td>
      <td>{role.permissions?.map((p) => (
        <span class="chip">{p.name}<button class="link" title={`Revoke ${p.name}`} aria-label={`revoke ${p.name}`}
          disabled={grant.busy} onClick={() => void grant.run(p.id!, false)}>×</button></span>))}</td>
      <td><select aria-label={`permission to grant to ${role.name}`} value={grantId}
          onChange={(e) => setGrantId(e.currentTarget.value)}>
          <option value="">choose a permission</option>
          {grantable.map((p) => <option value={p.id}>{p.name}</option>)}</select>
        <button class="link" disabled={grant.busy || !grantId} onClick={() => void grant.run(Number(grantId), true)}>Grant</button>
        <ErrorBox error={grant.error} /></td>
    </tr>
  );
}

/** A one-field creation form (a role, a permission, a tenant): cleared and `onDone` once the API has said yes. */
function NameForm({ title, name, button, placeholder, action, onDone }: { title: string; name: string; button: string;
  placeholder?: string; action: ReturnType<typeof useAction<[string], unknown>>; onDone: () => void }) {
  const [value, setValue] = useState("");
  return (
    <form class="card" data-testid={`new-${name}`} onSubmit={async (e) => {
      e.preventDefault();
      if (await action.run(value) !== undefined) {
        setValue("");
        onDone();
      }
    }}>
      <h3>{title}</h3>
      <label>Name <input name={name} value={value} required placeholder={placeholder}
        onInput={(e) => setValue(e.currentTarget.value)} /></label>
      <button type="submit" disabled={action.busy}>{button}</button>
      <ErrorBox error={action.error} />
    </form>
  );
}

/** Only a platform administrator may list tenants: anyone else gets a 403 and the section stays away. */
function Tenants() {
  const tenants = useApi(async () => {
    try {
      return await api.get("/api/v1/tenants");
    } catch {
      return null;
    }
  }, []);
  const create = useAction((name: string) => api.post("/api/v1/tenants", { json: { name } }));
  if (!tenants.data) return null;
  return (
    <div>
      <h2>Tenants</h2>
      <table data-testid="tenants"><thead><tr><th>Name</th><th>Id</th><th>Created</th></tr></thead>
        <tbody>{tenants.data.data?.map((t) => <tr><td>{t.name}</td><td>{t.id}</td><td>{formatTime(t.created_at)}</td></tr>)}</tbody></table>
      <NameForm title="New tenant" name="tenant_name" button="Create tenant" action={create} onDone={tenants.reload} />
    </div>
  );
}
