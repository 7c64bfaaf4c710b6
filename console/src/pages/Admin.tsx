import { useState } from "preact/hooks";
import { api } from "../api/client";
import { can, currentUser } from "../session";
import { ErrorBox, Loading, formatTime, useAction, useApi } from "../ui";

/** Users, roles with their permissions, and (platform administrators) tenants. */
export function Admin() {
  return (
    <section>
      <h1>Administration</h1>
      {can("can_manage_users") && <Users />}
      {can("can_manage_roles") && <Roles />}
      <Tenants />
    </section>
  );
}

function Users() {
  const users = useApi(() => api.get("/api/v1/users/read-users", { query: { limit: 1000 } }), []);
  const [form, setForm] = useState({ username: "", email: "", password: "", first_name: "", last_name: "" });
  const create = useAction(async () => {
    await api.post("/api/v1/users/create-user", { json: { ...form, tenant_id: currentUser()!.tenant_id! } });
    setForm({ username: "", email: "", password: "", first_name: "", last_name: "" });
    users.reload();
  });
  return (
    <div>
      <h2>Users</h2>
      <Loading loaded={users} />
      <table data-testid="users"><thead><tr><th>Username</th><th>Name</th><th>Email</th><th>Active</th></tr></thead>
        <tbody>{users.data?.data?.map((u) => (
          <tr><td>{u.username}</td><td>{u.first_name} {u.last_name}</td><td>{u.email}</td><td>{u.is_active ? "yes" : "no"}</td></tr>))}</tbody></table>
      <form class="card inline-form" onSubmit={(e) => { e.preventDefault(); void create.run(); }}>
        <h3>New user</h3>
        {(["username", "email", "password", "first_name", "last_name"] as const).map((field) => (
          <label>{field.replace("_", " ")} {field === "password"
            ? <input name={field} type="password" value={form[field]} required
                onInput={(e) => setForm({ ...form, [field]: e.currentTarget.value })} />
            : <input name={field} value={form[field]} required={field !== "first_name" && field !== "last_name"}
                onInput={(e) => setForm({ ...form, [field]: e.currentTarget.value })} />}</label>))}
        <button type="submit" disabled={create.busy}>Create user</button>
        <ErrorBox error={create.error} />
      </form>
    </div>
  );
}

function Roles() {
  const roles = useApi(() => api.get("/api/v1/rbac/roles", { query: { tenant_id: currentUser()!.tenant_id } }), []);
  return (
    <div>
      <h2>Roles and permissions</h2>
      <Loading loaded={roles} />
      <table data-testid="roles"><thead><tr><th>Role</th><th>Permissions</th></tr></thead>
        <tbody>{roles.data?.map((r) => (
          <tr><td>{r.name}</td><td>{r.permissions?.map((p) => p.name).join(", ")}</td></tr>))}</tbody></table>
    </div>
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
  if (!tenants.data) return null;
  return (
    <div>
      <h2>Tenants</h2>
      <table data-testid="tenants"><thead><tr><th>Name</th><th>Id</th><th>Created</th></tr></thead>
        <tbody>{tenants.data.data?.map((t) => <tr><td>{t.name}</td><td>{t.id}</td><td>{formatTime(t.created_at)}</td></tr>)}</tbody></table>
    </div>
  );
}
