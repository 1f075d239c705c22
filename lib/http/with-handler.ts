import { handleApiError } from "./api-error";

type RouteContext<Params> = { params: Promise<Params> };

export type Handler<Params, Extra> = (
  args: { request: Request; params: Params } & Extra,
) => Promise<Response> | Response;

/**
 * The base of every route wrapper: resolves the route params, runs the handler, and sends any
 * error through handleApiError. Wrappers that authenticate (Miro id token, webhook signature,
 * cron secret) build on it by resolving their own `Extra` before the handler runs.
 */
export function withHandler<Params = Record<string, string>, Extra extends object = object>(
  handler: Handler<Params, Extra>,
  resolveExtra: (request: Request) => Promise<Extra> | Extra = () => ({}) as Extra,
) {
  return async (request: Request, context?: RouteContext<Params>): Promise<Response> => {
    try {
      const params = ((await context?.params) ?? {}) as Params;
      const extra = await resolveExtra(request);
      return await handler({ request, params, ...extra });
    } catch (error) {
      return handleApiError(error);
    }
  };
}
