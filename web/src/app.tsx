import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { currentUser, ROLE_LABEL, sessionProblem, signOut, type SessionUser } from "./data/session";
import { HOME, href, mayOpen, NAV, route } from "./router";
import { ApiKeysScreen } from "./screens/admin/api-keys";
import { PartnersScreen } from "./screens/admin/partners";
import { AuditLogScreen } from "./screens/auditor/audit-log";
import { HealthScreen } from "./screens/coordinator/health";
import { ReceiptsScreen } from "./screens/coordinator/receipts";
import { ReceiptScreen } from "./screens/coordinator/receipt";
import { ReviewScreen } from "./screens/coordinator/review-queue";
import { UsersScreen } from "./screens/coordinator/users";
import { EntryScreen } from "./screens/entries/entry-detail";
import { OperatorEntriesScreen } from "./screens/entries/operator-entries";
import { PartnerEntriesScreen } from "./screens/entries/partner-entries";
import { PeriodEntriesScreen } from "./screens/entries/period-entries";
import { InboxScreen, unreadText, useUnreadCount } from "./screens/inbox";
import { NoRoleScreen } from "./screens/no-role";
import { SettingsScreen } from "./screens/settings";
import { SignInScreen } from "./screens/sign-in";
import { PartnerName } from "./ui/partner";
import { useLiveDoc } from "./data/live";
import { partnerStanding, type PartnerLeft } from "./domain/partner-standing";
import { StatementScreen } from "./screens/statements/statement";
import { StatementsScreen } from "./screens/statements/statements";

/** `left`: the partner user's partner left the JV; its screens read only what came before. */
function Screen({ user, left }: { user: SessionUser & { role: NonNullable<SessionUser["role"]> }; left?: PartnerLeft }) {
  const [path = HOME[user.role], id, second] = route.value;
  if (!mayOpen(user.role, path)) {
    return <p class="alert alert-error" role="alert">This page is not for your role ({ROLE_LABEL[user.role]}).</p>;
  }
  switch (path) {
    case "entries":
      return <OperatorEntriesScreen editId={id} />;
    case "entry":
      return id ? <EntryScreen id={id} /> : null;
    case "partner-entries":
      return <PartnerEntriesScreen left={left} />;
    case "period-entries":
      return id && second ? <PeriodEntriesScreen partnerId={id} reconciliationId={second} /> : null;
    case "review":
      return <ReviewScreen />;
    case "receipts":
      return id ? <ReceiptScreen id={id} /> : <ReceiptsScreen />;
    case "statements":
      return id ? <StatementScreen id={id} left={left} /> : <StatementsScreen left={left} />;
    case "audit-log":
      return <AuditLogScreen />;
    case "health":
      return <HealthScreen />;
    case "users":
      return <UsersScreen />;
    case "partners":
      return <PartnersScreen />;
    case "api-keys":
      return <ApiKeysScreen />;
    case "settings":
      return <SettingsScreen />;
    case "inbox":
      return <InboxScreen />;
    default:
      return <p class="alert alert-error" role="alert">No such page: {path}</p>;
  }
}

/** "#main" is a hash route here (router.ts): move the focus without following the link. */
function skipToMain(event: MouseEvent) {
  event.preventDefault();
  document.getElementById("main")?.focus();
}

/**
 * Another route is another page: it opens at its top, and after a link (not on the first page
 * shown) the focus goes to its heading, as a page chosen from the menu takes it. Otherwise the
 * scroll position stayed: **Correct** low in the entries list opened its form at the top of the
 * page, out of view, the focus left on the link.
 */
function useNewPageOnRouteChange(place: string) {
  const first = useRef(true);
  useEffect(() => {
    window.scrollTo(0, 0);
    if (first.current) {
      first.current = false;
      return;
    }
    // Focus moved meanwhile (Skip to content, a click) is the reader's own: not taken back.
    const focused = document.activeElement;
    const frame = requestAnimationFrame(() => {
      if (document.activeElement !== focused) return;
      const heading = document.getElementById("page-title");
      heading?.setAttribute("tabindex", "-1");
      (heading ?? document.getElementById("main"))?.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
  }, [place]);
}

function Shell({ user }: { user: SessionUser & { role: NonNullable<SessionUser["role"]> } }) {
  const unread = useUnreadCount(user.uid);
  const count = unread.value.docs.length;
  const current = route.value[0] ?? HOME[user.role];
  const standing = usePartnerStanding(user);
  // On a phone the menu and who is signed in open under a button: listed, they took three rows of the screen.
  const [menuOpen, setMenuOpen] = useState(false);
  const place = route.value.join("/");
  useEffect(() => setMenuOpen(false), [place]);
  useNewPageOnRouteChange(place);
  const menuButton = useRef<HTMLButtonElement>(null);
  // A page chosen from the opened menu: the menu closes, and the focus, on a link hidden with it, goes to the page.
  const chosen = () => {
    if (!menuOpen) return;
    setMenuOpen(false);
    requestAnimationFrame(() => document.getElementById("main")?.focus());
  };
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== "Escape" || !menuOpen) return;
    setMenuOpen(false);
    menuButton.current?.focus();
  };
  return (
    <>
      <a class="skip" href="#main" onClick={skipToMain}>Skip to content</a>
      <header class={menuOpen ? "topbar menu-open" : "topbar"} onKeyDown={closeOnEscape}>
        <a class="brand" href={href(HOME[user.role])} onClick={chosen}>FlowShare</a>
        <button type="button" ref={menuButton} class="menu-toggle secondary small" aria-expanded={menuOpen} aria-controls="main-menu signed-in" onClick={() => setMenuOpen(!menuOpen)}>
          Menu <span aria-hidden="true">{menuOpen ? "▴" : "▾"}</span>
          {count > 0 && <span class="count" data-testid="menu-unread-count" aria-label={`${unreadText(count)} unread`}>{unreadText(count)}</span>}
        </button>
        <nav aria-label="Main" id="main-menu">
          <ul>
            {NAV.filter((n) => n.roles.includes(user.role)).map((n) => (
              <li key={n.path}>
                <a href={href(n.path)} aria-current={current === n.path ? "page" : undefined} onClick={chosen}>
                  {n.label}
                  {n.path === "inbox" && count > 0 && (
                    <span class="count" data-testid="unread-count" aria-label={`${unreadText(count)} unread`}>{unreadText(count)}</span>
                  )}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who" id="signed-in">
          <span class="who-text">
            <strong>{user.displayName}</strong>
            <span class="muted"><span class="sr-only"> · </span>{ROLE_LABEL[user.role]}{user.partnerId ? <> · <PartnerName id={user.partnerId} /></> : ""}</span>
          </span>
          <button type="button" class="secondary small" onClick={() => signOut()}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {standing.notice}
        {standing.shows && <Screen user={user} left={standing.left} />}
      </main>
    </>
  );
}

/**
 * What a field operator or partner user is told of its partner's standing, and whether its
 * screens show: not once the partner is deactivated or unknown to the JV (the rules refuse their
 * every read), nor while the partner is read. A partner that left the JV keeps its partner
 * users' screens, bounded to before it left (`left`); its operators are cut off.
 */
function usePartnerStanding(user: SessionUser & { role: NonNullable<SessionUser["role"]> }): {
  notice: ComponentChildren;
  shows: boolean;
  left?: PartnerLeft;
} {
  const bound = (user.role === "field_operator" || user.role === "jv_partner") && user.partnerId ? user.partnerId : undefined;
  const own = useLiveDoc<{ name?: unknown; active?: unknown; left_jv_on?: unknown; left_at?: unknown }>(bound ? `partners/${bound}` : undefined).value;
  if (!bound) return { notice: null, shows: true };
  if (own.loading) return { notice: <p class="muted center">Loading…</p>, shows: false };
  const standing = partnerStanding(bound, own);
  if (standing.kind === "former" && user.role === "jv_partner") {
    return {
      notice: (
        <p class="alert alert-info" role="status" data-testid="partner-left">
          {standing.name} left this joint venture on {standing.left.on}. You can still read, export and verify its statements of
          the periods that began before that day, read its entries of those days, and take exception to a statement within the
          JV&apos;s window; nothing after it is shown.
        </p>
      ),
      shows: true,
      left: standing.left,
    };
  }
  if (standing.kind === "former") {
    return {
      notice: (
        <p class="alert alert-error" role="alert" data-testid="partner-cut-off">
          {standing.name} left this joint venture on {standing.left.on}: its field operators can no longer enter or read its
          production. Late data for its days before then goes through a JV coordinator.
        </p>
      ),
      shows: false,
    };
  }
  if (standing.kind === "inactive") {
    return {
      notice: (
        <p class="alert alert-error" role="alert" data-testid="partner-cut-off">
          {standing.name} is deactivated in this joint venture: its field operators and partner users can no longer read or enter
          its data (entries, statements and notices included). Only a JV admin can reactivate it; ask one why it was deactivated.
        </p>
      ),
      shows: false,
    };
  }
  if (standing.kind === "missing") {
    return {
      notice: (
        <p class="alert alert-error" role="alert" data-testid="partner-cut-off">
          Your account is bound to partner {bound}, which this joint venture does not have: nothing of a partner can be read or
          entered with it. Ask a JV admin to correct your role.
        </p>
      ),
      shows: false,
    };
  }
  return { notice: null, shows: true };
}

export function App() {
  const user = currentUser.value;
  if (user === undefined) {
    const problem = sessionProblem.value;
    return (
      <main id="main">
        {problem ? (
          <div class="center">
            <p class="error" role="alert">{problem}</p>
            <button type="button" class="secondary" onClick={() => void signOut()}>Sign out</button>
          </div>
        ) : (
          <p class="muted center">Loading…</p>
        )}
      </main>
    );
  }
  if (user === null) return <SignInScreen />;
  if (!user.role) return <NoRoleScreen user={user} />;
  return <Shell user={user as SessionUser & { role: NonNullable<SessionUser["role"]> }} />;
}
