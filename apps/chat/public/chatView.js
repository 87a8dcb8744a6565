// DOM helpers of the chat page: rendering only, no networking. User text is only ever set with
// textContent, never parsed as HTML.

/** `document.getElementById`, shorter. */
export const $ = (id) => document.getElementById(id);

/** Creates an element with a class and (text) children. */
export function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) node.append(child);
  return node;
}

/** A stable hue per name, for avatars. */
function hue(name) {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)) % 360;
  return h;
}

/** A round avatar with the name's first letter. */
export function avatar(name, node = el("span", "avatar")) {
  node.textContent = [...name][0]?.toUpperCase() ?? "?";
  node.style.setProperty("--hue", String(hue(name)));
  return node;
}

const clock = (at) => new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/**
 * One line of the message list. `entry` is a chat event from the server, plus `mine` for messages
 * the page sent itself; `showRoom` tags messages with their room (in the all-rooms view).
 */
export function renderEntry(entry, showRoom) {
  switch (entry.kind) {
    case "message": {
      const meta = el("div", "meta", el("strong", "", entry.user));
      if (entry.admin) meta.append(el("span", "tag admin-tag", "admin"));
      if (showRoom) meta.append(el("span", "tag room-tag", `#${entry.room}`));
      meta.append(el("time", "", clock(entry.at)));
      const li = el("li", `msg${entry.mine ? " mine" : ""}`, avatar(entry.user), el("div", "bubble", meta, el("p", "text", entry.text)));
      return li;
    }
    case "joined":
    case "left":
      return el("li", "sys", `${entry.user} ${entry.kind === "joined" ? "joined" : "left"} #${entry.room} · ${clock(entry.at)}`);
    case "announcement":
      return el("li", "sys announce", `${entry.from}: ${entry.text}`);
    case "audit":
      return el("li", "sys audit", `${entry.text} · ${clock(entry.at)}`);
    default:
      return el("li", "sys", String(entry.text ?? ""));
  }
}

/** Replaces the message list with `entries` and scrolls to the newest. */
export function renderMessages(list, entries, showRoom, emptyText) {
  list.replaceChildren(...entries.map((e) => renderEntry(e, showRoom)));
  if (entries.length === 0) list.append(el("li", "empty", emptyText));
  list.scrollTop = list.scrollHeight;
}

/** Appends one entry, keeping the list scrolled to the bottom if it was. */
export function appendEntry(list, entry, showRoom) {
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.querySelector(".empty")?.remove();
  list.append(renderEntry(entry, showRoom));
  if (atBottom || entry.mine) list.scrollTop = list.scrollHeight;
}

/** Shows `text` in an element (hidden when empty). */
export function show(node, text) {
  node.textContent = text ?? "";
  node.hidden = !text;
}
