import { useState } from "preact/hooks";
import { signIn } from "../session";
import { ErrorBox, useAction } from "../ui";

export function Login() {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const login = useAction(() => signIn(username, password));
  return (
    <form class="card login" onSubmit={(e) => { e.preventDefault(); void login.run(); }}>
      <h1>Data ML Platform</h1>
      <label>Username <input name="username" autocomplete="username" value={username}
        onInput={(e) => setUsername(e.currentTarget.value)} required /></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" value={password}
        onInput={(e) => setPassword(e.currentTarget.value)} required /></label>
      <button type="submit" disabled={login.busy}>Sign in</button>
      <ErrorBox error={login.error} />
    </form>
  );
}
