/**
 * FlowShare's event graph: every trigger and callable, bound to its agent's definition
 * (src/agents/<agent>/index.ts). `callable` and `documentTrigger` apply the one pipeline.
 */
import { setGlobalOptions } from "firebase-functions/v2/options";
import * as accountant from "./agents/accountant";
import * as admin from "./agents/admin";
import * as auditor from "./agents/auditor";
import * as communicator from "./agents/communicator";
import * as ingestion from "./agents/ingestion";
import { callable } from "./shared/callable";
import { REGION } from "./shared/config";
import { documentTrigger } from "./shared/document-trigger";

setGlobalOptions({ region: REGION, maxInstances: 20 });

// Auditor: production_entries create/update -> entry.audit; coordinators review flagged entries.
export const auditEntryOnCreate = documentTrigger(auditor.auditOnCreate);
export const auditEntryOnUpdate = documentTrigger(auditor.auditOnUpdate);
export const reviewEntry = callable(auditor.review);
export const reviewEntries = callable(auditor.reviewMany);

// Accountant: terminal receipt -> reconciliations/{receipt}_v{n} (+ closed_days, audit_log).
export const reconcile = callable(accountant.reconcile);
export const verifyReconciliation = callable(accountant.verify);
export const exportStatement = callable(accountant.exportStatement);
export const decideAdjustment = callable(accountant.decide);
export const releaseReconciliation = callable(accountant.release);
export const withdrawReceipt = callable(accountant.withdraw);
export const raiseStatementException = callable(accountant.raiseException);
export const answerStatementException = callable(accountant.answerException);
export const recordExceptionCorrection = callable(accountant.recordCorrection);
export const periodCoverage = callable(accountant.coverage);

// Administration.
export const setUserRole = callable(admin.setRole);
export const setJvSettings = callable(admin.setSettings);
export const setPartner = callable(admin.setPartner);
export const verifyAuditLog = callable(admin.verifyAuditLog);

// Communicator: reconciliations create, production_entries flag -> notifications/{id}.
export const notifyOnReconciliation = documentTrigger(communicator.onReconciliation);
export const notifyOnFlaggedEntry = documentTrigger(communicator.onFlaggedEntry);
export const notifyOnStaleReconciliation = documentTrigger(communicator.onStaleReconciliation);
export const notifyOnReleasedReconciliation = documentTrigger(communicator.onReleasedReconciliation);
export const notifyOnStatementException = documentTrigger(communicator.onStatementException);

// Ingestion: SCADA gateways POST /v1/production with an API key -> production_entries (audited as above).
export const ingestProduction = ingestion.ingestEndpoint();
export const createApiKey = callable(ingestion.createKey);
export const revokeApiKey = callable(ingestion.revokeKey);
