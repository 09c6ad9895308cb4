import { logger } from "firebase-functions/logger";
import { onDocumentCreated, onDocumentUpdated, onDocumentWritten, type DocumentOptions } from "firebase-functions/v2/firestore";
import { productionDeps, type AgentDeps } from "./agent-deps";
import { geminiApiKey } from "./config";

/** One Firestore event as every agent handler sees it, whatever the trigger kind. */
export interface DocumentEvent {
  /** The event's id: the key that makes a redelivery do nothing. */
  id: string;
  params: Record<string, string>;
  /** The document after the event; undefined when it no longer exists. */
  after: Record<string, unknown> | undefined;
  /** The document before an update or a write; undefined on create (and on a write that created it). */
  before: Record<string, unknown> | undefined;
  createTime: Date | undefined;
}

export type TriggerHandler = (deps: AgentDeps, event: DocumentEvent) => Promise<unknown>;

export interface TriggerSpec {
  name: string;
  document: string;
  on: "created" | "updated" | "written";
  /**
   * Stated for every trigger. With retry the platform redelivers an event whose handler
   * threw, so a handler must be idempotent and throw only what a retry can cure.
   */
  retry: boolean;
  gemini?: boolean;
  timeoutSeconds?: number;
  memory?: DocumentOptions["memory"];
}

export interface TriggerDefinition {
  spec: TriggerSpec;
  handler: TriggerHandler;
}

export function defineTrigger(spec: TriggerSpec, handler: TriggerHandler): TriggerDefinition {
  return { spec, handler };
}

/** Runs a handler, logging a failure with its context before it is rethrown for the retry. */
export async function runTrigger(definition: TriggerDefinition, deps: AgentDeps, event: DocumentEvent): Promise<unknown> {
  try {
    return await definition.handler(deps, event);
  } catch (error) {
    logger.error(`${definition.spec.name}: failed; ${definition.spec.retry ? "the platform retries it" : "not retried"}`, {
      fn: definition.spec.name,
      event_id: event.id,
      params: event.params,
      error: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
    throw error;
  }
}

/** The deployed trigger: `runTrigger` with the production wiring. */
export function documentTrigger(definition: TriggerDefinition) {
  const { spec } = definition;
  const options: DocumentOptions<string> = {
    document: spec.document,
    retry: spec.retry,
    ...(spec.gemini ? { secrets: [geminiApiKey] } : {}),
    ...(spec.timeoutSeconds ? { timeoutSeconds: spec.timeoutSeconds } : {}),
    ...(spec.memory ? { memory: spec.memory } : {}),
  };
  const deps = () => productionDeps({ gemini: spec.gemini ?? false });
  if (spec.on === "created") {
    return onDocumentCreated(options, (event) =>
      runTrigger(definition, deps(), {
        id: event.id,
        params: event.params,
        after: event.data?.data(),
        before: undefined,
        createTime: event.data?.createTime?.toDate(),
      }),
    );
  }
  if (spec.on === "written") {
    return onDocumentWritten(options, (event) =>
      runTrigger(definition, deps(), {
        id: event.id,
        params: event.params,
        after: event.data?.after.exists ? event.data.after.data() : undefined,
        before: event.data?.before.exists ? event.data.before.data() : undefined,
        createTime: event.data?.after.createTime?.toDate(),
      }),
    );
  }
  return onDocumentUpdated(options, (event) =>
    runTrigger(definition, deps(), {
      id: event.id,
      params: event.params,
      after: event.data?.after.data(),
      before: event.data?.before.data(),
      createTime: event.data?.after.createTime?.toDate(),
    }),
  );
}
