/** An answer to a plain HTTP GET on the server's port. */
export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string | Uint8Array;
}

/** Answers GET (and HEAD) requests to one path; a rejection is answered with 500. */
export type HttpRoute = () => HttpAnswer | Promise<HttpAnswer>;

/** The route's answer, or a 500 when it throws or rejects. */
export async function routeAnswer(route: HttpRoute): Promise<HttpAnswer> {
  try {
    return await route();
  } catch {
    return { status: 500, contentType: "text/plain; charset=utf-8", body: "Internal Server Error\n" };
  }
}
