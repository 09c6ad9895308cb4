import { useEffect, useState } from "preact/hooks";
import { firebase } from "../data/firebase";
import { ROLE_LABEL, ROLES, signIn, type Role } from "../data/session";
import { errorMessage } from "../format";
import { Alert } from "../ui/common";

/** The demo data's password for every account (scripts/seed/dataset.ts DEMO_PASSWORD); emulators only. */
const DEMO_PASSWORD = "flowshare-demo";

interface DemoAccount {
  email: string;
  displayName: string;
  role?: Role;
  partnerId?: string;
}

/**
 * The Auth emulator's accounts, listed through its Admin API (the emulator accepts the
 * "Bearer owner" token for it). In production there is no such list: email sign-in only.
 */
async function emulatorAccounts(): Promise<DemoAccount[]> {
  const { emulators, projectId } = firebase();
  if (!emulators) return [];
  const url = `http://${emulators.auth.host}:${emulators.auth.port}/identitytoolkit.googleapis.com/v1/projects/${projectId}/accounts:batchGet?maxResults=200`;
  const response = await fetch(url, { headers: { Authorization: "Bearer owner" } });
  if (!response.ok) throw new Error(`the Auth emulator answered ${response.status}`);
  const body = (await response.json()) as { users?: Array<{ email?: string; displayName?: string; customAttributes?: string }> };
  return (body.users ?? [])
    .filter((u) => u.email)
    .map((u) => {
      const claims = JSON.parse(u.customAttributes || "{}") as { role?: Role; partner_id?: string };
      return { email: u.email!, displayName: u.displayName ?? u.email!, role: claims.role, partnerId: claims.partner_id };
    })
    .sort((a, b) => ROLES.indexOf(a.role!) - ROLES.indexOf(b.role!) || (a.partnerId ?? "").localeCompare(b.partnerId ?? "") || a.email.localeCompare(b.email));
}

/**
 * The partners' names, read from the Firestore emulator as its owner: the picker runs before
 * sign-in, when the rules let no one read `partners`. A partner it cannot name keeps its id.
 */
async function emulatorPartnerNames(): Promise<Map<string, string>> {
  const { emulators, projectId } = firebase();
  if (!emulators) return new Map();
  const url = `http://${emulators.firestore.host}:${emulators.firestore.port}/v1/projects/${projectId}/databases/(default)/documents/partners?pageSize=300`;
  const response = await fetch(url, { headers: { Authorization: "Bearer owner" } });
  if (!response.ok) return new Map();
  const body = (await response.json()) as { documents?: Array<{ name: string; fields?: { name?: { stringValue?: string } } }> };
  return new Map(
    (body.documents ?? [])
      .map((d) => [d.name.split("/").pop() ?? "", d.fields?.name?.stringValue?.trim() ?? ""] as const)
      .filter(([id, name]) => id !== "" && name !== ""),
  );
}

/** Firebase Auth's refusals in words: its messages are codes ("Firebase: Error (auth/invalid-credential)."). */
function signInProblem(error: unknown): string {
  switch ((error as { code?: string } | null)?.code) {
    case "auth/invalid-credential":
    case "auth/invalid-login-credentials":
    case "auth/wrong-password":
    case "auth/user-not-found":
    case "auth/invalid-email":
      return "wrong email or password.";
    case "auth/user-disabled":
      return "this account is disabled; ask an administrator.";
    case "auth/too-many-requests":
      return "too many attempts; wait a few minutes, then try again.";
    case "auth/network-request-failed":
      return "Firebase Auth could not be reached; check the connection and try again.";
    default:
      return errorMessage(error);
  }
}

function EmailForm({ onError }: { onError: (message?: string) => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    onError(undefined);
    try {
      await signIn(email, password);
    } catch (error) {
      onError(`Sign-in failed: ${signInProblem(error)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="stack" onSubmit={submit} aria-label="Sign in with email">
      <label>
        Email
        <input type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      </label>
      <label>
        Password
        <input type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      </label>
      <button type="submit" disabled={busy}>{busy ? "Signing in…" : "Sign in"}</button>
    </form>
  );
}

export function SignInScreen() {
  const { emulators } = firebase();
  const [accounts, setAccounts] = useState<DemoAccount[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const [partnerNames, setPartnerNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    if (!emulators) return;
    emulatorAccounts().then(setAccounts, (e) => setError(`Could not list the demo users: ${errorMessage(e)}`));
    emulatorPartnerNames().then(setPartnerNames, () => undefined);
  }, []);
  const pick = async (account: DemoAccount) => {
    setBusy(account.email);
    setError(undefined);
    try {
      await signIn(account.email, DEMO_PASSWORD);
    } catch (e) {
      setError(`Sign-in as ${account.email} failed: ${signInProblem(e)}`);
      setBusy(undefined);
    }
  };
  return (
    <main class="signin" id="main">
      <div class="signin-box">
        <p class="brand-big">FlowShare</p>
        <h1>Sign in</h1>
        {error && <Alert kind="error">{error}</Alert>}
        {emulators ? (
          <>
            <p class="muted">Emulators: pick a demo user (password “{DEMO_PASSWORD}”).</p>
            {!accounts && !error && <p class="muted">Loading demo users…</p>}
            {accounts &&
              ROLES.map((role) => {
                const group = accounts.filter((a) => a.role === role);
                if (group.length === 0) return null;
                return (
                  <section key={role} class="picker-group" aria-label={ROLE_LABEL[role]}>
                    <h2>{ROLE_LABEL[role]}</h2>
                    <ul class="picker">
                      {group.map((a) => (
                        <li key={a.email}>
                          <button type="button" class="pick" data-email={a.email} disabled={busy !== undefined} onClick={() => pick(a)}>
                            <span class="who">{a.displayName}</span>
                            {a.partnerId && <span class="partner">{partnerNames.get(a.partnerId) ?? a.partnerId}</span>}
                            <span class="muted email">{a.email}</span>
                          </button>
                        </li>
                      ))}
                    </ul>
                  </section>
                );
              })}
            <details>
              <summary>Another account</summary>
              <EmailForm onError={setError} />
            </details>
          </>
        ) : (
          <EmailForm onError={setError} />
        )}
      </div>
    </main>
  );
}
