/**
 * App card descriptions and sticky note contents are "limited HTML": a few inline and block tags,
 * links with http(s) URLs, nothing else. Parsed in an inert <template> (no script runs, no image
 * loads), then copied tag by tag into fresh elements, so no attribute or handler survives.
 */

const KEPT = new Set([
  "P",
  "BR",
  "A",
  "STRONG",
  "B",
  "EM",
  "I",
  "U",
  "S",
  "SPAN",
  "UL",
  "OL",
  "LI",
  "CODE",
  "BLOCKQUOTE",
]);
/** Elements dropped with everything inside them (the rest are unwrapped: their text is kept). */
const DROPPED = new Set([
  "SCRIPT",
  "STYLE",
  "IFRAME",
  "OBJECT",
  "EMBED",
  "TEMPLATE",
  "NOSCRIPT",
  "SVG",
  "MATH",
  "HEAD",
  "TITLE",
]);

export function sanitizeHtml(html: string): DocumentFragment {
  const template = document.createElement("template");
  template.innerHTML = html;
  const clean = document.createDocumentFragment();
  copyInto(template.content, clean);
  return clean;
}

function copyInto(source: Node, target: Node) {
  for (const child of Array.from(source.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) {
      target.appendChild(document.createTextNode(child.textContent ?? ""));
      continue;
    }
    if (child.nodeType !== Node.ELEMENT_NODE) continue;
    const element = child as Element;
    const tag = element.tagName.toUpperCase();
    if (DROPPED.has(tag)) continue;
    if (!KEPT.has(tag)) {
      copyInto(element, target);
      continue;
    }
    const copy = document.createElement(tag.toLowerCase());
    if (tag === "A") {
      const href = element.getAttribute("href") ?? "";
      if (/^https?:\/\//i.test(href)) {
        copy.setAttribute("href", href);
        copy.setAttribute("target", "_blank");
        copy.setAttribute("rel", "noopener noreferrer");
      }
    }
    copyInto(element, copy);
    target.appendChild(copy);
  }
}
