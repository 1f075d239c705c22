import type { BoardItem } from "../../state";
import type { BoardPageConfig } from "../page-config";
import { APP_ICON, BLOCK_ICON, LINK_OFF_ICON } from "./icons";
import { sanitizeHtml } from "./sanitize-html";

/** An item as the page receives it (the server keeps the apps' metadata to itself). */
export type PageItem = Omit<BoardItem, "metadata">;

export type BoardViewEvents = {
  selectionChanged(items: PageItem[]): void;
  statusClicked(item: PageItem): void;
  moved(moves: { id: string; x: number; y: number }[]): void;
  deleteRequested(items: PageItem[]): void;
  stickyEdited(id: string, content: string): void;
};

/** Miro's sticky note palette, by the names REST and the SDK use. */
const STICKY_COLORS: Record<string, string> = {
  gray: "#e6e6e6",
  light_yellow: "#fff9b1",
  yellow: "#f5d128",
  orange: "#ff9d48",
  light_green: "#d5f692",
  green: "#c9df56",
  dark_green: "#93d275",
  cyan: "#67c6c0",
  light_pink: "#ffcee0",
  pink: "#ea94bb",
  violet: "#be88c7",
  red: "#f16c7f",
  light_blue: "#a6ccf5",
  blue: "#6cd8fa",
  dark_blue: "#9ea9ff",
  black: "#1a1a1a",
};

const MIN_ZOOM = 0.1;
const MAX_ZOOM = 4;
const GRID = 24;

type Gesture =
  | { kind: "pan"; pointerId: number; startX: number; startY: number; panX: number; panY: number }
  | {
      kind: "move";
      pointerId: number;
      startX: number;
      startY: number;
      origins: Map<string, { x: number; y: number }>;
      moved: boolean;
      clickedId: string;
      shift: boolean;
    };

/** Draws the board's items, and turns pointer and keyboard input into selection, moves and deletes. */
export class BoardView {
  readonly items = new Map<string, PageItem>();
  readonly selection = new Set<string>();
  private readonly elements = new Map<string, HTMLElement>();
  private readonly userNames: Map<string, string>;
  private pan = { x: 0, y: 0 };
  private zoom = 1;
  private gesture: Gesture | undefined;
  private fitted = false;
  /** Width the app's panel covers on the left: fitting centres items in what is left visible. */
  private leftInset = 0;

  constructor(
    private readonly canvas: HTMLElement,
    private readonly world: HTMLElement,
    private readonly config: BoardPageConfig,
    private readonly events: BoardViewEvents,
    private readonly zoomLabel?: HTMLElement,
  ) {
    this.userNames = new Map(config.users.map((user) => [user.id, user.name]));
    this.bind();
    this.applyTransform();
  }

  // Items -------------------------------------------------------------------------------------

  replaceAll(items: PageItem[]) {
    for (const id of [...this.items.keys()]) if (!items.some((item) => item.id === id)) this.remove(id);
    for (const item of items) this.upsert(item);
    if (!this.fitted) {
      this.fitted = true;
      this.zoomToFit();
    }
  }

  upsert(item: PageItem) {
    this.items.set(item.id, item);
    let element = this.elements.get(item.id);
    if (!element) {
      element = document.createElement("div");
      element.dataset.id = item.id;
      this.elements.set(item.id, element);
      this.world.appendChild(element);
    }
    if (element.querySelector('[contenteditable="true"]')) return;
    this.render(item, element);
  }

  remove(id: string) {
    this.items.delete(id);
    this.elements.get(id)?.remove();
    this.elements.delete(id);
    if (this.selection.delete(id)) this.events.selectionChanged(this.selectedItems());
  }

  selectedItems(): PageItem[] {
    return [...this.selection].map((id) => this.items.get(id)).filter((item) => item !== undefined);
  }

  setSelection(ids: Iterable<string>) {
    const next = new Set([...ids].filter((id) => this.items.has(id)));
    if (next.size === this.selection.size && [...next].every((id) => this.selection.has(id))) return;
    this.selection.clear();
    for (const id of next) this.selection.add(id);
    for (const [id, element] of this.elements) element.classList.toggle("is-selected", this.selection.has(id));
    this.events.selectionChanged(this.selectedItems());
  }

  private render(item: PageItem, element: HTMLElement) {
    element.replaceChildren();
    element.style.left = `${item.position.x}px`;
    element.style.top = `${item.position.y}px`;
    element.style.width = `${item.geometry.width}px`;
    element.style.transform = `translate(-50%, -50%) rotate(${item.geometry.rotation ?? 0}deg)`;
    element.classList.toggle("is-selected", this.selection.has(item.id));
    const creator = this.userNames.get(item.createdBy.id) ?? item.createdBy.id;
    const editor = this.userNames.get(item.modifiedBy.id) ?? item.modifiedBy.id;
    element.title = creator === editor ? `Created by ${creator}` : `Created by ${creator} · last edited by ${editor}`;
    if (item.type === "app_card") this.renderAppCard(item, element);
    else this.renderSticky(item, element);
  }

  private renderAppCard(item: PageItem, element: HTMLElement) {
    const data = item.data as { title?: string; description?: string; fields?: unknown; status?: string };
    const status = data.status === "connected" || data.status === "disabled" ? data.status : "disconnected";
    element.className = `item app-card app-card--${status}${this.selection.has(item.id) ? " is-selected" : ""}`;
    element.style.minHeight = `${item.geometry.height ?? 94}px`;
    element.style.height = "";
    element.style.background = "";
    const theme = typeof item.style.fillColor === "string" ? item.style.fillColor : "#2d9bf0";
    element.style.setProperty("--theme", theme);

    const title = el("div", "app-card__title");
    title.textContent = data.title || "Untitled";
    element.appendChild(title);
    if (data.description) {
      const description = el("div", "app-card__description");
      description.appendChild(sanitizeHtml(data.description));
      element.appendChild(description);
    }
    const footer = el("div", "app-card__footer");
    const fields = el("div", "app-card__fields");
    for (const field of Array.isArray(data.fields) ? (data.fields as Record<string, unknown>[]) : []) {
      const chip = el("span", "field");
      if (typeof field.fillColor === "string") chip.style.background = field.fillColor;
      if (typeof field.textColor === "string") chip.style.color = field.textColor;
      if (typeof field.tooltip === "string" && field.tooltip) chip.dataset.tooltip = field.tooltip;
      if (typeof field.iconUrl === "string" && /^(https?:|data:image\/)/i.test(field.iconUrl)) {
        const icon = document.createElement("img");
        icon.className = `field__icon field__icon--${field.iconShape === "square" ? "square" : "round"}`;
        icon.src = field.iconUrl;
        icon.alt = "";
        icon.draggable = false;
        chip.appendChild(icon);
      }
      if (typeof field.value === "string" && field.value) {
        const value = el("span", "field__value");
        value.textContent = field.value;
        chip.appendChild(value);
      }
      fields.appendChild(chip);
    }
    footer.appendChild(fields);

    const button = document.createElement("button");
    button.type = "button";
    button.className = `app-card__status app-card__status--${status}`;
    button.dataset.statusButton = status;
    if (status === "connected") {
      button.innerHTML = APP_ICON;
      button.title = `Open in ${this.config.app.name}`;
      button.setAttribute("aria-label", `Open “${data.title ?? ""}” in ${this.config.app.name}`);
    } else if (status === "disconnected") {
      button.innerHTML = `${APP_ICON}${LINK_OFF_ICON}<span>Connect</span>`;
      button.title = `Connect to ${this.config.app.name}`;
      button.setAttribute("aria-label", `Connect “${data.title ?? ""}” to ${this.config.app.name}`);
    } else {
      button.innerHTML = BLOCK_ICON;
      button.disabled = true;
      button.title = "Disabled: its source is gone or out of reach";
      button.setAttribute("aria-label", "Disabled card");
    }
    footer.appendChild(button);
    element.appendChild(footer);
  }

  private renderSticky(item: PageItem, element: HTMLElement) {
    const color = STICKY_COLORS[String(item.style.fillColor)] ?? STICKY_COLORS.light_yellow!;
    const dark = item.style.fillColor === "black";
    element.className = `item sticky${dark ? " sticky--dark" : ""}${this.selection.has(item.id) ? " is-selected" : ""}`;
    element.style.background = color;
    element.style.height = `${item.geometry.height ?? item.geometry.width}px`;
    element.style.minHeight = "";
    const vertical = { top: "flex-start", middle: "center", bottom: "flex-end" }[String(item.style.textAlignVertical)];
    element.style.alignItems = vertical ?? "center";
    const content = el("div", "sticky__content");
    content.style.textAlign = String(item.style.textAlign ?? "center");
    content.appendChild(sanitizeHtml(String(item.data.content ?? "")));
    element.appendChild(content);
  }

  /** Turns a sticky note's text into an editor until Escape or a click elsewhere. */
  editSticky(id: string) {
    const element = this.elements.get(id);
    const content = element?.querySelector<HTMLElement>(".sticky__content");
    if (!element || !content) return;
    const before = content.innerHTML;
    content.contentEditable = "true";
    content.focus();
    const range = document.createRange();
    range.selectNodeContents(content);
    window.getSelection()?.removeAllRanges();
    window.getSelection()?.addRange(range);
    const finish = () => {
      content.removeEventListener("keydown", onKey);
      content.contentEditable = "false";
      // innerText, not textContent: the line breaks a person typed are <div>s and <br>s in the editor.
      // biome-ignore lint/performance/useDomNodeTextContent: the lines matter here.
      const lines = content.innerText.split("\n").map((line) => line.trim());
      while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
      const html = lines.map((line) => `<p>${escapeHtml(line)}</p>`).join("");
      const item = this.items.get(id);
      if (item) this.render(item, element);
      if (html !== before) this.events.stickyEdited(id, html);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") content.blur();
    };
    content.addEventListener("keydown", onKey);
    content.addEventListener("blur", finish, { once: true });
  }

  // Viewport ------------------------------------------------------------------------------------

  /** Board coordinates (canvas centre = 0,0) of a point in the page. */
  clientToBoard(clientX: number, clientY: number) {
    const rect = this.canvas.getBoundingClientRect();
    return {
      x: Math.round((clientX - rect.left - rect.width / 2 - this.pan.x) / this.zoom),
      y: Math.round((clientY - rect.top - rect.height / 2 - this.pan.y) / this.zoom),
    };
  }

  visibleCenter() {
    return { x: Math.round(-this.pan.x / this.zoom), y: Math.round(-this.pan.y / this.zoom) };
  }

  setLeftInset(pixels: number) {
    this.leftInset = Math.max(0, pixels);
  }

  zoomToFit() {
    this.zoomToIds([...this.items.keys()], 1);
  }

  zoomToIds(ids: string[], maxZoom = 1.5) {
    const boxes = ids
      .map((id) => {
        const item = this.items.get(id);
        if (!item) return undefined;
        const element = this.elements.get(id);
        const height = Math.max(element?.offsetHeight ?? 0, item.geometry.height ?? 0);
        return { x: item.position.x, y: item.position.y, w: item.geometry.width, h: height };
      })
      .filter((box) => box !== undefined);
    if (boxes.length === 0) {
      this.pan = { x: 0, y: 0 };
      this.zoom = 1;
      this.applyTransform();
      return;
    }
    const left = Math.min(...boxes.map((b) => b.x - b.w / 2));
    const right = Math.max(...boxes.map((b) => b.x + b.w / 2));
    const top = Math.min(...boxes.map((b) => b.y - b.h / 2));
    const bottom = Math.max(...boxes.map((b) => b.y + b.h / 2));
    const padding = 120;
    const width = Math.max(this.canvas.clientWidth - this.leftInset - padding * 2, 100);
    const height = Math.max(this.canvas.clientHeight - padding * 2, 100);
    this.zoom = clamp(Math.min(width / (right - left || 1), height / (bottom - top || 1), maxZoom), MIN_ZOOM, MAX_ZOOM);
    this.pan = { x: this.leftInset / 2 - ((left + right) / 2) * this.zoom, y: -((top + bottom) / 2) * this.zoom };
    this.applyTransform();
  }

  zoomBy(factor: number) {
    const rect = this.canvas.getBoundingClientRect();
    this.zoomAt(rect.left + rect.width / 2, rect.top + rect.height / 2, this.zoom * factor);
  }

  private zoomAt(clientX: number, clientY: number, next: number) {
    const zoom = clamp(next, MIN_ZOOM, MAX_ZOOM);
    const rect = this.canvas.getBoundingClientRect();
    const cx = clientX - rect.left - rect.width / 2;
    const cy = clientY - rect.top - rect.height / 2;
    this.pan = { x: cx - ((cx - this.pan.x) / this.zoom) * zoom, y: cy - ((cy - this.pan.y) / this.zoom) * zoom };
    this.zoom = zoom;
    this.applyTransform();
  }

  private applyTransform() {
    const originX = this.canvas.clientWidth / 2 + this.pan.x;
    const originY = this.canvas.clientHeight / 2 + this.pan.y;
    this.world.style.transform = `translate(${originX}px, ${originY}px) scale(${this.zoom})`;
    const grid = GRID * this.zoom;
    this.canvas.style.backgroundSize = `${grid}px ${grid}px`;
    this.canvas.style.backgroundPosition = `${originX}px ${originY}px`;
    if (this.zoomLabel) this.zoomLabel.textContent = `${Math.round(this.zoom * 100)}%`;
  }

  // Input ---------------------------------------------------------------------------------------

  private bind() {
    const canvas = this.canvas;
    canvas.addEventListener("pointerdown", (event) => this.pointerDown(event));
    canvas.addEventListener("pointermove", (event) => this.pointerMove(event));
    canvas.addEventListener("pointerup", (event) => this.pointerUp(event));
    canvas.addEventListener("pointercancel", () => this.endGesture());
    canvas.addEventListener(
      "wheel",
      (event) => {
        event.preventDefault();
        this.zoomAt(
          event.clientX,
          event.clientY,
          this.zoom * Math.exp(-event.deltaY * (event.ctrlKey ? 0.01 : 0.0015)),
        );
      },
      { passive: false },
    );
    canvas.addEventListener("click", (event) => {
      const button = (event.target as Element).closest<HTMLElement>("[data-status-button]");
      const id = button?.closest<HTMLElement>(".item")?.dataset.id;
      const item = id ? this.items.get(id) : undefined;
      if (item && button?.dataset.statusButton !== "disabled") this.events.statusClicked(item);
    });
    canvas.addEventListener("dblclick", (event) => {
      const id = (event.target as Element).closest<HTMLElement>(".item")?.dataset.id;
      if (id && this.items.get(id)?.type === "sticky_note") this.editSticky(id);
    });
    document.addEventListener("keydown", (event) => {
      if (isTyping(event.target)) return;
      if ((event.key === "Delete" || event.key === "Backspace") && this.selection.size > 0) {
        event.preventDefault();
        this.events.deleteRequested(this.selectedItems());
      } else if (event.key === "Escape") {
        this.setSelection([]);
      }
    });
    window.addEventListener("resize", () => this.applyTransform());
  }

  private pointerDown(event: PointerEvent) {
    if (event.button !== 0) return;
    const target = event.target as Element;
    if (target.closest('[data-status-button], [contenteditable="true"], a[href]')) return;
    this.canvas.focus({ preventScroll: true });
    const id = target.closest<HTMLElement>(".item")?.dataset.id;
    if (id && this.items.has(id)) {
      if (event.shiftKey) {
        const next = new Set(this.selection);
        if (!next.delete(id)) next.add(id);
        this.setSelection(next);
      } else if (!this.selection.has(id)) {
        this.setSelection([id]);
      }
      if (!this.selection.has(id)) return;
      const origins = new Map<string, { x: number; y: number }>();
      for (const item of this.selectedItems()) origins.set(item.id, { x: item.position.x, y: item.position.y });
      this.gesture = {
        kind: "move",
        pointerId: event.pointerId,
        startX: event.clientX,
        startY: event.clientY,
        origins,
        moved: false,
        clickedId: id,
        shift: event.shiftKey,
      };
    } else {
      if (!event.shiftKey) this.setSelection([]);
      this.gesture = {
        kind: "pan",
        pointerId: event.pointerId,
        startX: event.clientX,
        startY: event.clientY,
        panX: this.pan.x,
        panY: this.pan.y,
      };
    }
  }

  private pointerMove(event: PointerEvent) {
    const gesture = this.gesture;
    if (!gesture || gesture.pointerId !== event.pointerId) return;
    if (event.buttons === 0) return this.endGesture();
    const dx = event.clientX - gesture.startX;
    const dy = event.clientY - gesture.startY;
    // Captured only once the pointer really moves: a plain click keeps its target (the item), so
    // click and dblclick land on it.
    if (!this.canvas.hasPointerCapture(event.pointerId)) {
      if (Math.hypot(dx, dy) < 3) return;
      this.canvas.setPointerCapture(event.pointerId);
    }
    if (gesture.kind === "pan") {
      this.canvas.classList.add("is-panning");
      this.pan = { x: gesture.panX + dx, y: gesture.panY + dy };
      this.applyTransform();
      return;
    }
    gesture.moved = true;
    for (const [id, origin] of gesture.origins) {
      const element = this.elements.get(id);
      if (!element) continue;
      element.classList.add("is-moving");
      element.style.left = `${origin.x + dx / this.zoom}px`;
      element.style.top = `${origin.y + dy / this.zoom}px`;
    }
  }

  private pointerUp(event: PointerEvent) {
    const gesture = this.gesture;
    if (!gesture || gesture.pointerId !== event.pointerId) return;
    this.endGesture();
    if (gesture.kind !== "move") return;
    if (!gesture.moved) {
      if (!gesture.shift && this.selection.size > 1) this.setSelection([gesture.clickedId]);
      return;
    }
    const dx = (event.clientX - gesture.startX) / this.zoom;
    const dy = (event.clientY - gesture.startY) / this.zoom;
    const moves = [...gesture.origins].map(([id, origin]) => ({
      id,
      x: Math.round(origin.x + dx),
      y: Math.round(origin.y + dy),
    }));
    for (const move of moves) {
      const item = this.items.get(move.id);
      this.elements.get(move.id)?.classList.remove("is-moving");
      if (item) item.position = { ...item.position, x: move.x, y: move.y };
    }
    this.events.moved(moves);
  }

  private endGesture() {
    if (this.gesture && this.canvas.hasPointerCapture(this.gesture.pointerId)) {
      this.canvas.releasePointerCapture(this.gesture.pointerId);
    }
    this.gesture = undefined;
    this.canvas.classList.remove("is-panning");
  }
}

function el(tag: string, className: string): HTMLElement {
  const element = document.createElement(tag);
  element.className = className;
  return element;
}

function clamp(value: number, min: number, max: number) {
  return Math.min(max, Math.max(min, value));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}
