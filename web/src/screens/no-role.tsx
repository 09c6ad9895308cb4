import { useState } from "preact/hooks";
import { accountVerified, refreshAccount, sendVerificationLink, signOut, type SessionUser } from "../data/session";
import { errorMessage } from "../format";
import { Alert } from "../ui/common";

type Message = { kind: "ok" | "error" | "info"; text: string };

/**
 * An account signed in without a role. An administrator gives a role by email only once the
 * address is verified (anyone can sign up with an address that is not theirs), so this page
 * sends the link and reads the account again once it has been followed.
 */
export function NoRoleScreen({ user }: { user: SessionUser }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>();
  const act = async (action: () => Promise<void>, done: () => Message) => {
    setBusy(true);
    setMessage(undefined);
    try {
      await action();
      setMessage(done());
    } catch (error) {
      setMessage({ kind: "error", text: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="signin">
      <div class="signin-box" data-testid="no-role">
        <h1>No role yet</h1>
        <p>{user.email} is signed in but has no FlowShare role.</p>
        {user.emailVerified ? (
          <p>
            Your email is verified. Ask an administrator to give it a role (Users &amp; roles, “An account that is not listed”), then sign out and in
            again.
          </p>
        ) : (
          <>
            <p>
              An administrator can give a role only to an email its owner has verified. Send yourself the link, follow it, then tell your administrator
              this email.
            </p>
            <div class="form-actions">
              <button type="button" disabled={busy} onClick={() => act(sendVerificationLink, () => ({ kind: "ok", text: `Link sent to ${user.email}. Follow it, then press “I have followed the link”.` }))}>
                Send me the verification link
              </button>
              <button
                type="button"
                class="secondary"
                disabled={busy}
                onClick={() =>
                  act(refreshAccount, () =>
                    accountVerified()
                      ? { kind: "ok", text: "Your email is verified: tell your administrator this email." }
                      : { kind: "info", text: "The email is not verified yet: follow the link in the message, then press this button again." },
                  )
                }
              >
                I have followed the link
              </button>
            </div>
          </>
        )}
        {message && <Alert kind={message.kind}>{message.text}</Alert>}
        <button type="button" class="secondary" onClick={() => signOut()}>Sign out</button>
      </div>
    </main>
  );
}
