/**
 * FlowShare's event graph: every trigger and callable, bound to its agent. Nothing else
 * lives here; the agents (src/agents) take their collaborators from `productionDeps()`.
 */
import { setGlobalOptions } from "firebase-functions/v2";
import { REGION } from "./shared/config";

setGlobalOptions({ region: REGION, maxInstances: 20 });
