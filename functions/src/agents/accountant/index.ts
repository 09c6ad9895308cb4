/** The accountant: reconciles a terminal receipt into a versioned, verifiable report. */
import { defineCallable } from "../../shared/callable";
import { decideAdjustment, decideAdjustmentInput } from "./decide-adjustment";
import { releaseReconciliation, releaseReconciliationInput } from "./release-reconciliation";
import { readsForClose, reconcile as reconcileReceipt, reconcileInput } from "./reconcile";
import { exportStatement as exportStatementHandler, exportStatementInput } from "./export-statement";
import { verifyInput, verifyReconciliationCallable } from "./verify";
import { withdrawReceipt, withdrawReceiptInput } from "./withdraw-receipt";
import {
  answerStatementException,
  answerStatementExceptionInput,
  raiseStatementException,
  raiseStatementExceptionInput,
} from "./statement-exceptions";
import { recordExceptionCorrection, recordExceptionCorrectionInput } from "./exception-correction";
import { periodCoverage, periodCoverageInput } from "./period-coverage";

export const reconcile = defineCallable(
  {
    name: "reconcile",
    roles: ["jv_coordinator", "admin"],
    input: reconcileInput,
    rateLimit: true,
    action: "reconciliations",
    status: "accountant",
    prefetch: readsForClose,
    options: { timeoutSeconds: 540, memory: "2GiB" },
  },
  reconcileReceipt,
);

export const verify = defineCallable(
  {
    name: "verifyReconciliation",
    formerPartners: true,
    roles: ["jv_coordinator", "admin", "auditor", "jv_partner"],
    input: verifyInput,
    rateLimit: true,
    action: "verifications",
    options: { timeoutSeconds: 300, memory: "1GiB" },
  },
  verifyReconciliationCallable,
);

export const exportStatement = defineCallable(
  {
    name: "exportStatement",
    formerPartners: true,
    roles: ["jv_coordinator", "admin", "auditor", "jv_partner"],
    input: exportStatementInput,
    rateLimit: true,
    action: "statement exports",
    options: { timeoutSeconds: 300, memory: "1GiB" },
  },
  exportStatementHandler,
);

export const decide = defineCallable(
  {
    name: "decideAdjustment",
    roles: ["jv_coordinator", "admin"],
    input: decideAdjustmentInput,
    rateLimit: true,
    action: "adjustment decisions",
    status: "accountant",
  },
  decideAdjustment,
);

export const release = defineCallable(
  {
    name: "releaseReconciliation",
    roles: ["jv_coordinator", "admin"],
    input: releaseReconciliationInput,
    rateLimit: true,
    action: "releases",
    status: "accountant",
  },
  releaseReconciliation,
);

export const withdraw = defineCallable(
  {
    name: "withdrawReceipt",
    roles: ["jv_coordinator", "admin"],
    input: withdrawReceiptInput,
    rateLimit: true,
    action: "receipt withdrawals",
    status: "accountant",
  },
  withdrawReceipt,
);

export const raiseException = defineCallable(
  {
    name: "raiseStatementException",
    formerPartners: true,
    roles: ["jv_partner"],
    input: raiseStatementExceptionInput,
    rateLimit: true,
    action: "exceptions",
    status: "accountant",
  },
  raiseStatementException,
);

export const answerException = defineCallable(
  {
    name: "answerStatementException",
    roles: ["jv_coordinator", "admin"],
    input: answerStatementExceptionInput,
    rateLimit: true,
    action: "answers to exceptions",
    status: "accountant",
  },
  answerStatementException,
);

export const recordCorrection = defineCallable(
  {
    name: "recordExceptionCorrection",
    roles: ["jv_coordinator", "admin"],
    input: recordExceptionCorrectionInput,
    rateLimit: true,
    action: "corrections recorded for exceptions",
    status: "accountant",
  },
  recordExceptionCorrection,
);

export const coverage = defineCallable(
  {
    name: "periodCoverage",
    roles: ["jv_coordinator", "admin"],
    input: periodCoverageInput,
    rateLimit: true,
    action: "coverage checks",
    options: { timeoutSeconds: 300, memory: "1GiB" },
  },
  periodCoverage,
);
