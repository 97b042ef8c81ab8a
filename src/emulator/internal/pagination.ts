/**
 * `page`/`per_page` as SRV api_controller.rb#preflight and #set_link_header apply them (docs/nexla-api.md
 * §5.3): no paging unless either is given, `per_page` defaults to 10, and X-Page-Count is the number of items
 * on this page (not the number of pages, whatever AE's conventions file says).
 */
export interface Page<T> {
  readonly items: T[];
  readonly headers: Record<string, string>;
}

/** Like Ruby's `to_i` followed by a floor of 1: junk or values below 1 fall back to the default. */
function positive(raw: string | null, fallback: number): number {
  const value = Number.parseInt(raw ?? "", 10);
  return Number.isSafeInteger(value) && value >= 1 ? value : fallback;
}

function link(url: URL, page: number, perPage: number, rel: string): string {
  const target = new URL(url);
  target.searchParams.set("page", String(page));
  target.searchParams.set("per_page", String(perPage));
  return `<${target.toString()}>; rel="${rel}"`;
}

export function paginate<T>(items: readonly T[], url: URL): Page<T> {
  const headers: Record<string, string> = { "X-Total-Count": String(items.length) };
  if (!url.searchParams.has("page") && !url.searchParams.has("per_page"))
    return { items: [...items], headers };
  const page = positive(url.searchParams.get("page"), 1);
  const perPage = positive(url.searchParams.get("per_page"), 10);
  const pages = Math.ceil(items.length / perPage);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const links = [
    ...(page > 1 ? [link(url, Math.min(page - 1, Math.max(pages, 1)), perPage, "Previous")] : []),
    ...(page < pages ? [link(url, page + 1, perPage, "Next")] : []),
  ];
  Object.assign(headers, {
    "X-Current-Page": String(page),
    "X-Page-Count": String(slice.length),
    "X-Total-Page-Count": String(pages),
    ...(links.length > 0 ? { Link: links.join(", ") } : {}),
  });
  return { items: slice, headers };
}
