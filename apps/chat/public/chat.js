// The chat page: one WebSocketClient (the library's browser bundle, served by the same server),
// RPC calls for everything the user does, a subscription per room (client.subscribe, authorized by
// the server) and broadcasts for everything others do.
import { PacketSource, RPCErrorCode, WebSocketClient } from "/webshocket-client.js";
import { $, appendEntry, avatar, el, renderMessages, show } from "/chatView.js";

/** The admin's all-rooms view (fed by the pattern subscription `room.*`, which the server allows admins only). */
const ALL = "*";
const ROOM_PREFIX = "room.";

const chat = {
  /** What `login` answered: { username, is_admin, rooms, online, sendLimit }. */
  me: null,
  passcode: null,
  /** Room name → { joined, members: Set, entries: [], unread, subscription }. */
  rooms: new Map(),
  /** Every event of every room, for admins. */
  all: { entries: [], unread: 0 },
  view: "general",
  noticeTimer: undefined,
};

const client = new WebSocketClient(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/`, {
  autoReconnect: true,
  // Broadcasts (announcements, presence, admin notices); room messages go to their subscriptions.
  onReceive: (packet) => {
    if (packet.source === PacketSource.BROADCAST) receive(packet.data);
  },
});
let connecting;

function room(name) {
  let r = chat.rooms.get(name);
  if (r === undefined) chat.rooms.set(name, (r = { joined: false, members: new Set(), entries: [], unread: 0 }));
  return r;
}

/** Adds an event to a view's history; renders it if that view is open, else counts it as unread. */
function add(view, target, entry) {
  target.entries.push(entry);
  if (chat.view === view) appendEntry($("messages"), entry, view === ALL);
  else if (entry.kind === "message" && !entry.mine) target.unread++;
}

/** Who is in a room, kept from its joined / left events. */
function track(r, event) {
  if (event.kind === "joined") r.members.add(event.user);
  if (event.kind === "left") r.members.delete(event.user);
}

/** An event of a room the page subscribed to. */
function onRoom(event) {
  const r = room(event.room);
  track(r, event);
  if (r.joined) add(event.room, r, event);
  rendered();
}

/** An event of any room, for an admin's all-rooms view (`room.*`). */
function onAllRooms(event) {
  const r = room(event.room);
  if (!r.joined) track(r, event); // a joined room's own subscription keeps it
  add(ALL, chat.all, event);
  rendered();
}

/** Broadcasts to everyone (or to admins). */
function receive(event) {
  switch (event.kind) {
    case "announcement":
      $("announcement-from").textContent = `${event.from}: `;
      $("announcement-text").textContent = event.text;
      $("announcement").hidden = false;
      for (const [name, r] of chat.rooms) if (r.joined) add(name, r, event);
      if (chat.me?.is_admin) add(ALL, chat.all, event);
      break;
    case "audit":
      add(ALL, chat.all, event);
      break;
    case "presence":
      $("online").textContent = `${event.online} online`;
      break;
  }
  rendered();
}

function rendered() {
  renderSidebar();
  if (chat.view !== ALL) renderSubtitle();
}

function renderSidebar() {
  const items = [...chat.rooms].map(([name, r]) => {
    const button = el("button", `room${r.joined ? " joined" : ""}${chat.view === name ? " active" : ""}`, el("span", "room-name", `# ${name}`));
    button.type = "button";
    button.dataset.view = name;
    if (r.unread > 0) button.append(el("span", "unread", String(r.unread)));
    return el("li", "", button);
  });
  $("rooms").replaceChildren(...items);
  const all = $("all-rooms");
  all.classList.toggle("active", chat.view === ALL);
  show(all.querySelector(".unread"), chat.all.unread > 0 ? String(chat.all.unread) : "");
}

function renderSubtitle() {
  const members = [...room(chat.view).members].sort();
  $("view-sub").textContent = members.length === 1 ? "Just you so far — open another tab to chat with yourself" : `${members.length} here: ${members.join(", ")}`;
}

/** Opens a view: a room (joining it first if needed) or, for admins, all rooms. */
async function select(view) {
  if (view !== ALL && !chat.rooms.get(view)?.joined) {
    view = await join(view);
    if (view === undefined) return;
  }
  chat.view = view;
  const target = view === ALL ? chat.all : room(view);
  target.unread = 0;
  $("view-title").textContent = view === ALL ? "All rooms" : `# ${view}`;
  if (view === ALL) $("view-sub").textContent = "Every room, live (subscribed to room.*) — what you post here is announced to everyone";
  else renderSubtitle();
  $("leave").hidden = view === ALL || view === "general";
  $("text").placeholder = view === ALL ? "Announce to everyone…" : `Message #${view}`;
  $("send").textContent = view === ALL ? "Announce" : "Send";
  $("composer").classList.toggle("announcing", view === ALL);
  renderMessages($("messages"), target.entries, view === ALL, view === ALL ? "Messages from every room appear here." : "No messages yet — say hello!");
  renderSidebar();
  $("text").focus();
}

/** Joins a room (subscribes to its channel); answers its name, or undefined (after saying why). */
async function join(name) {
  try {
    const subscription = await client.subscribe(ROOM_PREFIX + name, onRoom);
    const r = room(subscription.initial.room);
    r.joined = true;
    r.members = new Set(subscription.initial.members);
    r.subscription = subscription;
    return subscription.initial.room;
  } catch (err) {
    notice(err.message);
  }
}

async function leave() {
  const name = chat.view;
  const r = room(name);
  r.subscription?.unsubscribe();
  await client.sendRpc("leave", name);
  r.joined = false;
  r.entries = [];
  await select("general");
}

/** A friendly, temporary message above the composer. */
function notice(text, seconds = 6) {
  clearTimeout(chat.noticeTimer);
  show($("notice"), text);
  chat.noticeTimer = setTimeout(() => show($("notice"), ""), seconds * 1000);
}

async function submit(event) {
  event.preventDefault();
  const input = $("text");
  const text = input.value.trim();
  if (text === "") return;
  const res = chat.view === ALL ? await client.sendRpc("announce", text) : await client.sendRpc("send", chat.view, text);
  if (res.rpc.error === RPCErrorCode.RATE_LIMIT_EXCEEDED) {
    const { limit, seconds } = chat.me.sendLimit;
    return notice(`Slow down — you can send ${limit} messages per ${seconds} seconds.`, seconds);
  }
  if (res.rpc.error !== null) return notice(res.data);
  input.value = "";
  show($("notice"), "");
  if (chat.view === ALL) return;
  const mine = { ...res.data, mine: true }; // published to everyone but the sender: render it here
  add(chat.view, room(chat.view), mine);
  if (chat.me.is_admin) add(ALL, chat.all, mine);
}

async function login(event) {
  event.preventDefault();
  const button = $("login-button");
  button.disabled = true;
  show($("login-error"), "");
  try {
    connecting ??= client.connect({ retry: true, maxRetryAttempt: 2 }).catch((err) => {
      connecting = undefined;
      throw err;
    });
    await connecting;
    const passcode = $("admin").checked ? $("passcode").value : null;
    const res = await client.sendRpc("login", $("name").value, passcode);
    if (res.rpc.error !== null) return show($("login-error"), res.data);
    chat.me = res.data;
    chat.passcode = passcode;
    for (const name of chat.me.rooms) room(name);
    $("login").hidden = true;
    $("app").hidden = false;
    avatar(chat.me.username, $("me-avatar"));
    $("me-name").textContent = chat.me.username;
    $("me-role").textContent = chat.me.is_admin ? "admin" : "member";
    $("online").textContent = `${chat.me.online} online`;
    $("admin-nav").hidden = !chat.me.is_admin;
    if (chat.me.is_admin) await client.subscribe(`${ROOM_PREFIX}*`, onAllRooms);
    await select("general");
  } catch (err) {
    show($("login-error"), `Cannot reach the server: ${err.message}`);
  } finally {
    button.disabled = false;
  }
}

/**
 * After a dropped connection comes back. The server keeps the session through a short drop (resumption:
 * same login, rooms, and the messages sent meanwhile), so there is nothing to do. Only when it could not
 * (it restarted, or the window passed) this is a fresh session: sign in again; the client renews the room
 * subscriptions itself, right after this `reconnect` listener, so they follow the sign-in.
 */
async function restore({ recovered }) {
  if (recovered || !chat.me) return show($("status"), "");
  const res = await client.sendRpc("login", chat.me.username, chat.passcode);
  if (res.rpc.error !== null) return notice(`Reconnected, but: ${res.data}`);
  show($("status"), "");
  renderSubtitle();
}

$("login-form").addEventListener("submit", login);
$("admin").addEventListener("change", (e) => ($("passcode-row").hidden = !e.target.checked));
$("composer").addEventListener("submit", submit);
$("leave").addEventListener("click", leave);
$("announcement-close").addEventListener("click", () => ($("announcement").hidden = true));
$("app").addEventListener("click", (e) => {
  const button = e.target.closest("button[data-view]");
  if (button) void select(button.dataset.view);
});
$("join-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const name = $("join-room").value.trim().toLowerCase().replace(/^#/, "");
  if (name === "") return;
  $("join-room").value = "";
  await select(name);
});
client.on("disconnect", ({ willReconnect }) => show($("status"), willReconnect ? "Reconnecting…" : "Disconnected"));
client.on("reconnect", (event) => void restore(event));
client.on("reconnectFailed", () => show($("status"), "Disconnected — reload the page"));
