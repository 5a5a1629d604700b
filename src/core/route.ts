/**
 * @module
 * A route made ready to serve, engine-neutral: its tree resolved and checked, its plan compiled, and the
 * function that turns a handler's result into the response body.
 */
import { Dependency, type DependencyLike } from "./dependency.ts";
import { ResponseValidationError } from "./errors.ts";
import { checkDeclaredScopes, compilePlan, type Plan } from "./plan.ts";
import type { RouteDefinition } from "./router.ts";
import { buildTree, type DependantNode } from "./tree.ts";
import { validate } from "./validation.ts";

export interface CompiledRoute {
  readonly definition: RouteDefinition;
  /** `GET /users/me/`, for messages. */
  readonly label: string;
  readonly tree: DependantNode;
  readonly plan: Plan;
  /** The handler's result → what is sent: filtered through the response schema when there is one. */
  readonly toBody: (result: unknown) => unknown;
  readonly status: number;
}

/** Resolve, check and compile a route. App-level dependencies come first, as in FastAPI. */
export function compileRoute(definition: RouteDefinition, appDependencies: readonly DependencyLike[] = []): CompiledRoute {
  const label = `${definition.method} ${definition.path}`;
  const name = definition.config.name ?? (definition.handler.name || label);
  const root = new Dependency(definition.config.needs ?? {}, definition.handler, { name });
  const tree = buildTree(root, [...appDependencies, ...definition.dependencies]);
  checkDeclaredScopes(tree, label);
  const schema = definition.config.response;
  const toBody = schema
    ? (result: unknown) => {
        // Like response_model: validation strips every field the schema does not declare.
        const checked = validate(schema, result, ["response"]);
        if (!checked.ok) throw new ResponseValidationError(checked.issues);
        return checked.value;
      }
    : (result: unknown) => result;
  return { definition, label, tree, plan: compilePlan(tree), toBody, status: definition.config.status ?? 200 };
}
