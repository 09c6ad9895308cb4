import { reasonTitle } from "../domain/reason-code";

/**
 * The auditor's reason codes by their titles in words ("BS&W above typical, BS&W outlier"), each
 * code on hover and in data-code, for support: lists that name reasons only (recent decisions,
 * the pre-flight, a statement's exclusions).
 */
export function ReasonTitles({ codes }: { codes: readonly string[] }) {
  return (
    <>
      {[...new Set(codes)].map((code, i) => (
        <span key={code} title={`Reason code: ${code}`} data-code={code}>
          {i > 0 ? ", " : ""}
          {reasonTitle(code)}
        </span>
      ))}
    </>
  );
}
