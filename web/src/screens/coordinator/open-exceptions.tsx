import { useLiveQuery } from "../../data/live";
import { openExceptions } from "../../data/queries";
import type { StatementException } from "../../data/types";
import { dateTime, num } from "../../format";
import { Card, Loaded } from "../../ui/common";
import { PartnerName } from "../../ui/partner";
import { PersonName } from "../../ui/person";
import { StatementLink } from "../statements/statement-link";

const OPEN_LISTED = 50;

/** Partners' exceptions to statements that await an answer, oldest first: each is answered on its statement's page. */
export function OpenExceptionsSection() {
  const open = useLiveQuery<StatementException>(openExceptions(OPEN_LISTED), "open-exceptions");
  const cut = open.value.docs.length >= OPEN_LISTED;
  return (
    <>
      <h2 class="section-title" id="exceptions">
        Exceptions to statements{" "}
        {!open.value.loading && !open.value.error && (
          <span class="count-pill" data-testid="open-exceptions-count">
            {open.value.docs.length}
            {cut ? "+" : ""}
          </span>
        )}
      </h2>
      <Card>
        <p class="muted small-text">
          A partner that finds a statement wrong takes exception to it in writing. Answer each on its statement's page: uphold it (then correct the figures with a late entry or a
          corrected ticket, and reconcile again) or reject it, saying why.
        </p>
        <Loaded live={open.value}>
          {(docs) =>
            docs.length === 0 ? (
              <p class="muted">No exception awaits an answer.</p>
            ) : (
              <ul class="exceptions" aria-label="Exceptions awaiting an answer">
                {docs.map(({ id, data: e }) => (
                  <li key={id} class="exception" data-testid="open-exception" data-exception={id}>
                    <p class="meta">
                      <strong>
                        <PartnerName id={e.partner_id} />
                      </strong>{" "}
                      to <StatementLink id={e.reconciliation_id} /> · raised by <PersonName uid={e.raised_by} /> on {dateTime(e.raised_at)}
                    </p>
                    <p class="exception-text">{e.text}</p>
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
        {cut && <p class="muted small-text">The oldest {num(OPEN_LISTED, 0)} are shown; each answer brings the next one in.</p>}
      </Card>
    </>
  );
}
