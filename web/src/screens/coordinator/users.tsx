import { useState } from "preact/hooks";
import { setUserRole } from "../../data/callables";
import { useLiveQuery } from "../../data/live";
import { allPartners, allUsers } from "../../data/queries";
import { ROLE_LABEL, ROLES, type Role } from "../../data/session";
import type { UserProfile } from "../../data/types";
import { errorMessage } from "../../format";
import { Alert, Card, Loaded, Page } from "../../ui/common";

const PARTNER_ROLES: Role[] = ["field_operator", "jv_partner"];

function RoleEditor({ uid, profile, partners }: { uid: string; profile: UserProfile; partners: Array<{ id: string; name: string }> }) {
  const [role, setRole] = useState<string>(profile.role ?? "");
  const [partner, setPartner] = useState(profile.partner_id ?? "");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string }>();
  const needsPartner = PARTNER_ROLES.includes(role as Role);
  const changed = role !== (profile.role ?? "") || (needsPartner && partner !== (profile.partner_id ?? ""));
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setMessage(undefined);
    try {
      await setUserRole({ uid, role, ...(needsPartner ? { partner_id: partner } : {}) });
      setMessage({ kind: "ok", text: "Saved; takes effect at the user's next token refresh." });
    } catch (e) {
      setMessage({ kind: "error", text: `setUserRole failed: ${errorMessage(e)}` });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="inline-form" onSubmit={save} aria-label={`Role of ${profile.email ?? uid}`}>
      <label>
        <span class="sr-only">Role of {profile.email ?? uid}</span>
        <select value={role} onChange={(e) => setRole(e.currentTarget.value)}>
          <option value="" disabled>—</option>
          {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABEL[r]}</option>)}
        </select>
      </label>
      <label>
        <span class="sr-only">Partner of {profile.email ?? uid}</span>
        <select value={needsPartner ? partner : ""} disabled={!needsPartner} onChange={(e) => setPartner(e.currentTarget.value)}>
          <option value="">{needsPartner ? "Choose a partner" : "—"}</option>
          {partners.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
        </select>
      </label>
      <button type="submit" class="small" disabled={busy || !changed || (needsPartner && !partner)}>Save</button>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
    </form>
  );
}

/** Admins: every user profile (the mirror of the role claims) and setUserRole. */
export function UsersScreen() {
  const users = useLiveQuery<UserProfile>(allUsers(), "users");
  const partners = useLiveQuery<{ name: string }>(allPartners(), "partners");
  const partnerList = partners.value.docs.map((p) => ({ id: p.id, name: p.data.name }));
  return (
    <Page title="Users & roles" intro="Roles are Firebase Auth custom claims set by setUserRole; users/{uid} mirrors them.">
      <Card>
        <Loaded live={users.value} empty="No user profiles.">
          {(docs) => (
            <table class="data" data-testid="users">
              <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Partner</th><th scope="col">Change</th></tr></thead>
              <tbody>
                {docs.map(({ id, data: u }) => (
                  <tr key={id}>
                    <th scope="row">{u.display_name ?? id}</th>
                    <td>{u.email}</td>
                    <td>{u.role ? ROLE_LABEL[u.role as Role] ?? u.role : "—"}</td>
                    <td>{u.partner_id ?? "—"}</td>
                    <td><RoleEditor uid={id} profile={u} partners={partnerList} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Loaded>
      </Card>
    </Page>
  );
}
