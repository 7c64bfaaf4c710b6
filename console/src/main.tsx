import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { useJobs } from "./jobs";
import { match, navigate, usePath } from "./router";
import { can, currentUser, onSessionChange, signOut } from "./session";
import { Link } from "./ui";
import { Login } from "./pages/Login";
import { Templates } from "./pages/Templates";
import { Datasets } from "./pages/Datasets";
import { Dataset } from "./pages/Dataset";
import { Train } from "./pages/Train";
import { Models } from "./pages/Models";
import { Model } from "./pages/Model";
import { Predictions } from "./pages/Predictions";
import { Datalake } from "./pages/Datalake";
import { Admin } from "./pages/Admin";

function useUser() {
  const [user, setUser] = useState(currentUser());
  useEffect(() => onSessionChange(() => setUser(currentUser())), []);
  return user;
}

function Page({ path }: { path: string }) {
  let params: Record<string, string> | null;
  if ((params = match("/models/:id", path))) return <Model id={Number(params.id)} />;
  if ((params = match("/datasets/:id", path))) return <Dataset id={Number(params.id)} />;
  switch (path.replace(/\/$/, "") || "/") {
    case "/templates": return <Templates />;
    case "/datasets": return <Datasets />;
    case "/train": return <Train />;
    case "/predictions": return <Predictions />;
    case "/datalake": return <Datalake />;
    case "/admin": return <Admin />;
    case "/":
    case "/models": return <Models />;
    default: return <div data-testid="not-found"><h1>Not found</h1><p>No page at {path}.</p></div>;
  }
}

function App() {
  const user = useUser();
  const path = usePath();
  const jobs = useJobs();
  if (!user) return <main class="center"><Login /></main>;
  const nav: [string, string, boolean][] = [
    ["/models", "Models", true], ["/datasets", "Datasets", true], ["/templates", "Templates", true],
    ["/predictions", "Predictions", true], ["/datalake", "Datalake", can("can_view_datalake")],
    ["/admin", "Administration", can("can_manage_users") || can("can_manage_roles")],
  ];
  return (
    <div class="layout">
      <header>
        <strong>DMLP</strong>
        <nav>{nav.filter(([, , shown]) => shown).map(([href, label]) => (
          <Link href={href} class={path.startsWith(href) ? "active" : ""}>{label}</Link>))}</nav>
        <span class={`stream ${jobs.state}`} data-testid="stream-state"
          title="The tenant's job events">events: {jobs.state}</span>
        <span data-testid="signed-in-as">{user.username}</span>
        <button class="link" onClick={() => void signOut().finally(() => navigate(location.pathname))}>Sign out</button>
      </header>
      <main><Page path={path} /></main>
    </div>
  );
}

render(<App />, document.getElementById("app")!);
