/**
 * @module
 * The ReDoc page (FastAPI's `get_redoc_html`) from the `redoc` package's standalone bundle, without the
 * Google Fonts stylesheet FastAPI's page links: ReDoc falls back to local fonts and the page stays offline.
 */
import { escapeHtml } from "./html.ts";

export interface RedocPage {
  readonly title: string;
  readonly openapiUrl: string;
  /** URL of `redoc.standalone.js`. */
  readonly scriptUrl: string;
}

/** The ReDoc page. */
export function redocHtml(page: RedocPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<link rel="icon" href="data:,">
<style>body { margin: 0; padding: 0; }</style>
</head>
<body>
<redoc spec-url="${escapeHtml(page.openapiUrl)}"></redoc>
<script src="${escapeHtml(page.scriptUrl)}"></script>
</body>
</html>
`;
}
