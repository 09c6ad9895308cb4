import { useEffect, useState } from "preact/hooks";
import { setUserRole } from "../../data/callables";
import { useLiveQuery } from "../../data/live";
import { allPartners, allUsers } from "../../data/queries";
import { ROLE_LABEL, roleLabel, ROLES, type Role } from "../../data/session";
import type { UserProfile } from "../../data/types";
import { byPartnerName, partnerChoiceLabel, partnerRecordOf, partnerRoleProblem, partnerRoleStanding, type PartnerRecord } from "../../domain/partner-membership";
import { errorMessage } from "../../format";
import { Alert, Card, Loaded, Page, TableScroll } from "../../ui/common";
import { PartnerName } from "../../ui/partner";

const PARTNER_ROLES: Role[] = ["field_operator", "jv_partner"];

interface RoleChoice {
  role: string;
  partner: string;
}

const needsPartner = (role: string) => PARTNER_ROLES.includes(role as Role);

type PartnerOption = PartnerRecord & { id: string };

/**
 * setUserRole gives a role only for an active partner, and the JV partner role for one that left the
 * JV too (functions/src/agents/admin/set-user-role.ts): a user may still have another. Why the
 * chosen partner cannot be saved with the chosen role, or undefined.
 */
const partnerProblem = (partners: PartnerOption[], choice: RoleChoice) =>
  needsPartner(choice.role) && choice.partner ? partnerRoleProblem(choice.partner, partners.find((p) => p.id === choice.partner), choice.role) : undefined;

function RoleFields({ who, choice, onChange, partners }: { who: string; choice: RoleChoice; onChange: (c: RoleChoice) => void; partners: PartnerOption[] }) {
  const bound = needsPartner(choice.role);
  const offered = partners.filter((p) => partnerRoleStanding(p, choice.role) === "ok");
  const other = bound && choice.partner && !offered.some((p) => p.id === choice.partner) ? choice.partner : undefined;
  const otherKnown = other ? partners.find((p) => p.id === other) : undefined;
  return (
    <>
      <label>
        Role<span class="sr-only"> of {who}</span>
        <select value={choice.role} onChange={(e) => onChange({ ...choice, role: e.currentTarget.value })}>
          <option value="" disabled>—</option>
          {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABEL[r]}</option>)}
        </select>
      </label>
      <label>
        Partner<span class="sr-only"> of {who}</span>
        <select value={bound ? choice.partner : ""} disabled={!bound} onChange={(e) => onChange({ ...choice, partner: e.currentTarget.value })}>
          <option value="">{bound ? "Choose a partner" : "—"}</option>
          {offered.map((p) => <option key={p.id} value={p.id}>{partnerChoiceLabel(p.id, p)}</option>)}
          {other && (otherKnown ? <option value={other} disabled>{otherKnown.left_jv_on ? partnerChoiceLabel(other, otherKnown) : `${otherKnown.name ?? other} (inactive)`}</option> : <option value={other}>{other}</option>)}
        </select>
      </label>
    </>
  );
}

/** Beside a user's partner: " (inactive)", or " (left the JV on 2026-10-15)"; nothing for an active or unknown one. */
function PartnerStanding({ partners, id }: { partners: PartnerOption[]; id: string | null | undefined }) {
  const p = id ? partners.find((q) => q.id === id) : undefined;
  if (!p || p.active) return null;
  return <span class="muted">{p.left_jv_on ? ` (left the JV on ${p.left_jv_on})` : " (inactive)"}</span>;
}

/** setUserRole for one account, by uid or (not listed yet) by email; the outcome in words. */
function useRoleSave(target: () => { uid: string } | { email: string }, choice: RoleChoice, saved: (result: { uid: string }) => string) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string }>();
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setMessage(undefined);
    try {
      const result = await setUserRole({ ...target(), role: choice.role, ...(needsPartner(choice.role) ? { partner_id: choice.partner } : {}) });
      setMessage({ kind: "ok", text: saved(result) });
    } catch (e) {
      setMessage({ kind: "error", text: `Role not changed: ${errorMessage(e)}` });
    } finally {
      setBusy(false);
    }
  };
  return { busy, message, save };
}

function RoleEditor({ uid, profile, partners }: { uid: string; profile: UserProfile; partners: PartnerOption[] }) {
  const [choice, setChoice] = useState<RoleChoice>({ role: profile.role ?? "", partner: profile.partner_id ?? "" });
  // The selects show the account as it is: a change saved elsewhere (another admin, the form for an
  // account not listed) replaces what they showed. A phone shows the role nowhere else.
  useEffect(() => setChoice({ role: profile.role ?? "", partner: profile.partner_id ?? "" }), [profile.role, profile.partner_id]);
  const { busy, message, save } = useRoleSave(() => ({ uid }), choice, () => "Saved. The user's open sessions are signed out; the new role applies when they sign in again.");
  const bound = needsPartner(choice.role);
  const changed = choice.role !== (profile.role ?? "") || (bound && choice.partner !== (profile.partner_id ?? ""));
  const refused = partnerProblem(partners, choice);
  return (
    <form class="inline-form" onSubmit={save} aria-label={`Role of ${profile.email ?? uid}`}>
      <RoleFields who={profile.email ?? uid} choice={choice} onChange={setChoice} partners={partners} />
      <button type="submit" class="small" disabled={busy || !changed || (bound && !choice.partner) || refused !== undefined}>Save</button>
      {changed && refused && <span class="hint hint-warning" data-testid="partner-refused">{refused}</span>}
      {changed && !refused && (
        <span class="hint" data-testid="role-unsaved">
          Not saved yet: the account is still {profile.role ? roleLabel(profile.role) : "without a role"}
          {profile.partner_id && <> of <PartnerName id={profile.partner_id} /></>}.
        </span>
      )}
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
    </form>
  );
}

/** An account that signed in without a role has no profile to be listed by: found by its email. */
function AssignByEmail({ partners }: { partners: PartnerOption[] }) {
  const [email, setEmail] = useState("");
  const [choice, setChoice] = useState<RoleChoice>({ role: "", partner: "" });
  const { busy, message, save } = useRoleSave(() => ({ email }), choice, () => `Saved: ${email.trim()} now has the role, listed above; it applies when they sign in again.`);
  const bound = needsPartner(choice.role);
  const refused = partnerProblem(partners, choice);
  return (
    <form class="inline-form" onSubmit={save} aria-label="Role for an account not listed" data-testid="assign-by-email">
      <label>
        Email <input type="email" name="email" required maxLength={320} value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      </label>
      <RoleFields who="the account with that email" choice={choice} onChange={setChoice} partners={partners} />
      <button type="submit" class="small" disabled={busy || email.trim() === "" || !choice.role || (bound && !choice.partner) || refused !== undefined}>Give the role</button>
      {refused && <span class="hint hint-warning" data-testid="partner-refused">{refused}</span>}
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
    </form>
  );
}

/** Admins: every user profile (the mirror of the role claims) and setUserRole. */
export function UsersScreen() {
  const users = useLiveQuery<UserProfile>(allUsers(), "users");
  const partners = useLiveQuery<{ name?: string; active?: boolean; left_jv_on?: string }>(allPartners(), "partners");
  const partnerList: PartnerOption[] = byPartnerName(partners.value.docs).map((p) => ({ id: p.id, ...partnerRecordOf(p.data) }));
  return (
    <Page title="Users & roles" intro="Who may do what: each account's role, and for field operators and JV partners the partner it acts for. A change signs the user out of their open sessions (FlowShare's actions refuse them at once, and the sign-in ends when the session next renews, within the hour), applies when they sign in again, and is on the audit log.">
      {partners.value.error && <p class="error" role="alert">The partners could not be read, so none can be chosen for a partner-bound role: {partners.value.error}</p>}
      <Card>
        <Loaded live={users.value} empty="No user profiles.">
          {(docs) => (
            <TableScroll blocks="blocks-list" label="Users table"><table class="data as-blocks users-table" data-testid="users" role="table">
              <thead role="rowgroup"><tr role="row"><th role="columnheader" scope="col">Name</th><th role="columnheader" scope="col">Email</th><th role="columnheader" scope="col">Role</th><th role="columnheader" scope="col">Partner</th><th role="columnheader" scope="col">Change</th></tr></thead>
              <tbody role="rowgroup">
                {docs.map(({ id, data: u }) => (
                  <tr role="row" key={id}>
                    {/* An account without a display name by its email: its uid means nothing to anyone. */}
                    <th role="rowheader" scope="row">{u.display_name?.trim() || <span class="muted" title={`No display name; uid ${id}`}>{u.email ?? "no name"}</span>}</th>
                    <td role="cell" class="wide" data-label="Email">{u.email}</td>
                    <td role="cell" class="saved-role" data-label="Role">{u.role ? roleLabel(u.role) : "—"}</td>
                    <td role="cell" class="saved-role" data-label="Partner"><PartnerName id={u.partner_id} /><PartnerStanding partners={partnerList} id={u.partner_id} /></td>
                    <td role="cell" class="wide role-change" data-label="Change"><RoleEditor uid={id} profile={u} partners={partnerList} /></td>
                  </tr>
                ))}
              </tbody>
            </table></TableScroll>
          )}
        </Loaded>
      </Card>
      <Card title="An account that is not listed">
        <p class="muted">Someone who signed in before having a role has no profile yet: give them one by the email they signed in with, once they have verified it (their “No role yet” page sends the link).</p>
        <AssignByEmail partners={partnerList} />
      </Card>
    </Page>
  );
}
