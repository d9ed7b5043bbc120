// moodtune's web chat: one WebSocket for words, commands and buttons; an HTTP upload for
// photos and voice notes. Everything the server sends is data: the page builds its DOM
// with textContent and never parses HTML from it, so no title or message can run script.
"use strict";

(() => {
  const UI = {
    en: {
      placeholder: "How do you feel?",
      caption: "Add a caption (optional)",
      send: "Send",
      attach: "Send a photo or a sound file",
      record: "Record a voice note",
      stop: "Stop and send",
      drop: "Drop a photo or a sound file",
      welcome: "Hi! Tell me how you feel — in words (English or Chinese, emoji welcome), " +
        "with a photo or a voice note — and I'll answer with music. 👍 / 👎 teach me your taste.",
      connecting: "connecting…",
      online: "online",
      offline: "offline, retrying…",
      reload: "reload the page",
      notSent: "not sent: offline",
      noAnswer: "no answer: the connection was lost",
      refused: "not answered",
      tooBig: (size, limit) => `That file is ${size} MB; the limit is ${limit} MB.`,
      emptyRecording: "Nothing was recorded. Hold on a little longer.",
      noMicrophone: "This browser cannot record here (no microphone, or no permission).",
      voiceNote: "voice note",
      confidence: "confidence",
      mode: "mode",
      download: "Download",
      uploadFailed: "The upload failed. Please try again.",
      remove: "Remove",
    },
    zh: {
      placeholder: "你现在感觉怎么样？",
      caption: "加一句说明（可选）",
      send: "发送",
      attach: "发送照片或声音文件",
      record: "录一段语音",
      stop: "停止并发送",
      drop: "把照片或声音文件拖到这里",
      welcome: "你好！用文字（中文或英文，可以用表情）、照片或语音告诉我你的感受，" +
        "我会用音乐回应你。用 👍 / 👎 让我了解你的口味。",
      connecting: "连接中…",
      online: "在线",
      offline: "离线，正在重连…",
      reload: "请刷新页面",
      notSent: "未发送：离线",
      noAnswer: "没有回复：连接断开了",
      refused: "未回复",
      tooBig: (size, limit) => `这个文件有 ${size} MB，上限是 ${limit} MB。`,
      emptyRecording: "什么也没录到，多录一会儿吧。",
      noMicrophone: "这个浏览器在这里无法录音（没有麦克风或没有权限）。",
      voiceNote: "语音",
      confidence: "把握",
      mode: "模式",
      download: "下载",
      uploadFailed: "上传失败，请再试一次。",
      remove: "移除",
    },
  };
  const COMMAND_ICONS = {
    start: "👋", help: "❓", mode: "🎚", mood: "📈", export: "📦", forget: "🗑", privacy: "🔒",
  };
  const SHOWN_COMMANDS = ["help", "mood", "mode", "export", "privacy", "forget"];
  const CLOSE_NO_PERSON = 4401;
  const CLOSE_BUSY = 4503;
  const CLOSE_POLICY = 1008;
  const MB = 1024 * 1024;

  const $ = (id) => document.getElementById(id);
  const log = $("log");
  const text = $("text");
  const state = {
    language: /^zh\b/i.test(navigator.language || "") ? "zh" : "en",
    limits: { photo_bytes: 20 * MB, voice_bytes: 20 * MB, voice_seconds: 120, text_chars: 4000 },
    socket: null,
    retries: 0,
    stopped: false,
    pending: new Map(), // message id → {bubble, press}
    chosen: null, // {file, kind}
    recording: null,
    askingMicrophone: false,
  };
  const t = () => UI[state.language];

  // Small DOM helpers: text only, never HTML.

  function el(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined && content !== null) node.textContent = String(content);
    return node;
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replaceAll("-", "");
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  let toastTimer = 0;
  function toast(message, alert = false) {
    const box = $("toast");
    box.textContent = message;
    box.classList.toggle("alert", alert);
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.hidden = true; }, alert ? 6000 : 3500);
  }

  function safeLink(link) {
    try {
      const url = new URL(link);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch {
      return null;
    }
  }

  function bytesOf(base64) {
    const raw = atob(base64);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  // The page's own words, in the conversation's language.

  function applyLanguage() {
    document.documentElement.lang = state.language === "zh" ? "zh-CN" : "en";
    text.placeholder = state.chosen ? t().caption : t().placeholder;
    $("send").textContent = t().send;
    $("attach").title = t().attach;
    $("record").title = state.recording ? t().stop : t().record;
    $("chosen-clear").title = t().remove;
    $("drop-text").textContent = t().drop;
    const welcome = $("welcome");
    if (welcome) welcome.querySelector(".text").textContent = t().welcome;
  }

  function setStatus(key, className) {
    const status = $("status");
    status.textContent = t()[key];
    status.className = `status ${className}`;
  }

  function showCommands(commands) {
    const nav = $("commands");
    nav.replaceChildren();
    const described = new Map(commands.map(([name, description]) => [name, description]));
    for (const name of SHOWN_COMMANDS) {
      if (!described.has(name)) continue;
      const button = el("button", "command", `${COMMAND_ICONS[name] || ""} /${name}`);
      button.type = "button";
      button.title = described.get(name);
      button.dataset.command = name;
      if (name === "mode") {
        const menu = el("span", "mode-menu");
        for (const mode of ["match", "lift"]) {
          const choice = el("button", "command mode-choice", `/mode ${mode}`);
          choice.type = "button";
          choice.dataset.command = `mode ${mode}`;
          choice.addEventListener("click", () => sendText(`/mode ${mode}`));
          menu.append(choice);
        }
        button.textContent = `${COMMAND_ICONS.mode} ${t().mode}`;
        button.addEventListener("click", () => menu.classList.toggle("open"));
        const group = el("span", "mode-group");
        group.append(button, menu);
        nav.append(group);
        continue;
      }
      button.addEventListener("click", () => sendText(`/${name}`));
      nav.append(button);
    }
  }

  // The connection.

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${location.host}/ws`);
    state.socket = socket;
    setStatus("connecting", "connecting");
    socket.addEventListener("open", () => {
      state.retries = 0;
      setStatus("online", "online");
    });
    socket.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      handle(frame);
    });
    socket.addEventListener("close", (event) => {
      if (state.socket === socket) state.socket = null;
      for (const [id, waiting] of state.pending) {
        if (!waiting.upload) {
          markMine(waiting.bubble, t().noAnswer);
          state.pending.delete(id);
        }
      }
      if (event.code === CLOSE_NO_PERSON || event.code === CLOSE_POLICY) {
        state.stopped = true;
        setStatus("reload", "stopped");
        return;
      }
      setStatus("offline", "offline");
      const wait = event.code === CLOSE_BUSY ? 15000 : Math.min(15000, 500 * 2 ** state.retries);
      state.retries += 1;
      setTimeout(connect, wait);
    });
  }

  function sendFrame(frame) {
    const socket = state.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  function handle(frame) {
    const waiting = frame.to ? state.pending.get(frame.to) : undefined;
    if (frame.to) state.pending.delete(frame.to);
    switch (frame.type) {
      case "hello":
        state.language = frame.language === "zh" ? "zh" : "en";
        state.limits = frame.limits;
        text.maxLength = frame.limits.text_chars;
        showCommands(frame.commands);
        applyLanguage();
        setStatus("online", "online");
        break;
      case "reply":
        if (waiting) markMine(waiting.bubble, null);
        addReply(frame.reply, waiting && waiting.bubble);
        break;
      case "message":
        addReply(frame.reply);
        break;
      case "outcome":
        if (waiting) applyOutcome(waiting.bubble, frame.outcome);
        break;
      case "refused":
        if (waiting && waiting.press) enableButtons(waiting.bubble);
        else if (waiting) markMine(waiting.bubble, t().refused);
        break;
      case "error":
        if (waiting && waiting.press) enableButtons(waiting.bubble);
        else if (waiting) markMine(waiting.bubble, t().refused);
        addError(frame.text, waiting && !waiting.press ? waiting.bubble : null);
        break;
      default:
        break;
    }
  }

  // What the person sent.

  function addMine(content) {
    const bubble = el("article", "msg mine pending");
    if (typeof content === "string") bubble.append(el("p", "text", content));
    else bubble.append(...content);
    log.append(bubble);
    scrollDown();
    return bubble;
  }

  function markMine(bubble, problem) {
    bubble.classList.remove("pending");
    if (problem) {
      bubble.classList.add("unanswered");
      bubble.append(el("small", "problem", problem));
    }
  }

  function sendText(words) {
    const id = newId();
    const bubble = addMine(words);
    if (!sendFrame({ type: "text", id, text: words })) {
      markMine(bubble, t().notSent);
      return;
    }
    state.pending.set(id, { bubble });
  }

  // What moodtune answered: under the message it answers (answers can come out of order:
  // a photo takes longer than words), or at the end.

  function place(bubble, answering) {
    if (answering) {
      (answering.lastAnswer || answering).after(bubble);
      answering.lastAnswer = bubble;
    } else {
      log.append(bubble);
    }
    scrollDown();
  }

  function addError(message, answering) {
    const bubble = el("article", "msg bot error");
    bubble.append(el("p", "text", message));
    place(bubble, answering);
  }

  function addReply(reply, answering) {
    const bubble = el("article", reply.ok ? "msg bot" : "msg bot not-ok");
    if (reply.mood) bubble.append(moodCard(reply.mood));
    if (reply.text) bubble.append(el("p", "text", reply.text));
    if (reply.tracks.length) bubble.append(trackList(reply.tracks));
    if (reply.attachment) bubble.append(attachment(reply.attachment));
    bubble.append(el("div", "buttons"));
    showButtons(bubble, reply.buttons);
    place(bubble, answering);
    return bubble;
  }

  function moodCard(mood) {
    const card = el("section", "mood");
    for (const bar of mood.bars) {
      const row = el("div", "bar");
      const label = el("span", "bar-label");
      label.append(el("span", "emoji", bar.emoji), ` ${bar.name}`);
      const track = el("span", "bar-track");
      const fill = el("span", "bar-fill");
      fill.style.width = `${Math.round(bar.share * 100)}%`;
      track.append(fill);
      row.append(label, track, el("span", "bar-share", `${Math.round(bar.share * 100)}%`));
      card.append(row);
    }
    const confidence = el("div", "confidence");
    const meter = el("span", "confidence-track");
    const fill = el("span", "confidence-fill");
    fill.style.width = `${Math.round(mood.confidence * 100)}%`;
    meter.append(fill);
    confidence.append(
      el("span", "confidence-label", t().confidence),
      meter,
      el("span", "confidence-value", `${Math.round(mood.confidence * 100)}%`),
    );
    card.append(confidence);
    if (mood.parts.length) {
      const parts = el("ul", "parts");
      for (const part of mood.parts) parts.append(el("li", "part", part));
      card.append(parts);
    }
    return card;
  }

  function trackList(tracks) {
    const list = el("ol", "tracks");
    for (const track of tracks) {
      const item = el("li", "track");
      item.dataset.offer = track.offer;
      const head = el("div", "track-head");
      const link = track.link && safeLink(track.link);
      const title = link ? el("a", "title", track.title) : el("span", "title", track.title);
      if (link) {
        title.href = link;
        title.target = "_blank";
        title.rel = "noopener noreferrer";
      }
      head.append(title, el("span", "artists", ` — ${track.artists}`));
      item.append(head, el("div", "why", track.why), el("div", "votes"));
      list.append(item);
    }
    return list;
  }

  function attachment(file) {
    const blob = new Blob([bytesOf(file.data)], { type: file.media_type });
    const url = URL.createObjectURL(blob);
    if (file.image) {
      const image = el("img", "chart");
      image.src = url;
      image.alt = file.filename;
      image.addEventListener("load", scrollDown);
      return image;
    }
    const link = el("a", "download", `⬇ ${t().download} ${file.filename}`);
    link.href = url;
    link.download = file.filename;
    return link;
  }

  function button(view, bubble) {
    const node = el("button", `choice ${view.kind}${view.chosen ? " chosen" : ""}`, view.label);
    node.type = "button";
    node.addEventListener("click", () => press(bubble, view.data));
    return node;
  }

  function showButtons(bubble, buttons) {
    bubble.keyboard = buttons.keyboard;
    for (const item of bubble.querySelectorAll(".track")) {
      const votes = item.querySelector(".votes");
      votes.replaceChildren(...(buttons.by_offer[item.dataset.offer] || []).map((v) => button(v, bubble)));
    }
    const rows = bubble.querySelector(".buttons");
    rows.replaceChildren(...buttons.rows.map((row) => {
      const line = el("div", "button-row");
      line.append(...row.map((v) => button(v, bubble)));
      return line;
    }));
  }

  function enableButtons(bubble, enabled = true) {
    for (const node of bubble.querySelectorAll("button.choice")) node.disabled = !enabled;
  }

  function press(bubble, data) {
    const id = newId();
    if (!sendFrame({ type: "press", id, data, buttons: bubble.keyboard })) {
      toast(t().notSent);
      return;
    }
    enableButtons(bubble, false);
    state.pending.set(id, { bubble, press: true });
  }

  function applyOutcome(bubble, outcome) {
    if (outcome.buttons) showButtons(bubble, outcome.buttons);
    if (outcome.text !== null) {
      let paragraph = bubble.querySelector(".text");
      if (!paragraph) {
        paragraph = el("p", "text");
        bubble.prepend(paragraph);
      }
      paragraph.textContent = outcome.text;
    }
    enableButtons(bubble);
    if (outcome.notice) toast(outcome.notice, outcome.alert);
    if (outcome.follow_up) addReply(outcome.follow_up);
  }

  // Photos and voice notes.

  function kindOf(file) {
    const type = (file.type || "").toLowerCase();
    if (type.startsWith("image/")) return "photo";
    if (type.startsWith("audio/") || type === "video/webm" || type === "video/ogg") return "voice";
    return "file";
  }

  function tooBig(size, kind) {
    const limit = kind === "voice" ? state.limits.voice_bytes : state.limits.photo_bytes;
    if (size <= limit) return false;
    toast(t().tooBig((size / MB).toFixed(1), Math.round(limit / MB)), true);
    return true;
  }

  function choose(file) {
    if (!file) return;
    const kind = kindOf(file);
    if (tooBig(file.size, kind)) return;
    state.chosen = { file, kind };
    const preview = $("chosen-preview");
    if (preview.src) URL.revokeObjectURL(preview.src);
    preview.hidden = kind !== "photo";
    if (kind === "photo") preview.src = URL.createObjectURL(file);
    $("chosen-name").textContent = `${kind === "photo" ? "🖼" : kind === "voice" ? "🎙" : "📄"} ${file.name} (${(file.size / MB).toFixed(2)} MB)`;
    $("chosen").hidden = false;
    applyLanguage();
    text.focus();
  }

  function clearChosen() {
    state.chosen = null;
    $("chosen").hidden = true;
    $("file").value = "";
    applyLanguage();
  }

  async function upload(blob, kind, filename, caption, shown) {
    if (tooBig(blob.size, kind)) return;
    const id = newId();
    const bubble = addMine(shown);
    const form = new FormData();
    form.append("id", id);
    form.append("kind", kind);
    if (caption) form.append("caption", caption);
    form.append("size", String(blob.size));
    form.append("file", blob, filename);
    state.pending.set(id, { bubble, upload: true });
    let frame;
    try {
      const response = await fetch("/upload", { method: "POST", body: form, credentials: "same-origin" });
      frame = await response.json();
    } catch {
      state.pending.delete(id);
      markMine(bubble, t().uploadFailed);
      return;
    }
    if (!frame.to) frame.to = id;
    handle(frame);
  }

  function mediaBubble(blob, kind, caption, label) {
    const parts = [];
    const url = URL.createObjectURL(blob);
    if (kind === "photo") {
      const image = el("img", "photo");
      image.src = url;
      image.alt = label;
      image.addEventListener("load", scrollDown);
      parts.push(image);
    } else if (kind === "voice") {
      const audio = el("audio", "voice");
      audio.controls = true;
      audio.src = url;
      parts.push(el("p", "label", `🎙 ${label}`), audio);
    } else {
      parts.push(el("p", "label", `📄 ${label}`));
    }
    if (caption) parts.push(el("p", "text", caption));
    return parts;
  }

  function sendChosen(caption) {
    const { file, kind } = state.chosen;
    clearChosen();
    upload(file, kind, file.name || "file", caption, mediaBubble(file, kind, caption, file.name));
  }

  async function toggleRecording() {
    if (state.recording) {
      state.recording.recorder.stop();
      return;
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) {
      toast(t().noMicrophone, true);
      return;
    }
    if (state.askingMicrophone) return; // a second click while the browser asks
    state.askingMicrophone = true;
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      toast(t().noMicrophone, true);
      return;
    } finally {
      state.askingMicrophone = false;
    }
    const types = ["audio/ogg;codecs=opus", "audio/webm;codecs=opus", "audio/webm"];
    const mimeType = types.find((type) => MediaRecorder.isTypeSupported(type));
    const recorder = new MediaRecorder(stream, mimeType ? { mimeType, audioBitsPerSecond: 32000 } : {});
    const chunks = [];
    const started = Date.now();
    const button = $("record");
    recorder.addEventListener("dataavailable", (event) => {
      if (event.data.size) chunks.push(event.data);
    });
    recorder.addEventListener("stop", () => {
      clearInterval(state.recording.timer);
      clearTimeout(state.recording.limit);
      state.recording = null;
      stream.getTracks().forEach((track) => track.stop());
      button.classList.remove("recording");
      button.textContent = "🎙";
      applyLanguage();
      const type = (recorder.mimeType || mimeType || "audio/webm").split(";")[0];
      const blob = new Blob(chunks, { type });
      if (!blob.size) {
        toast(t().emptyRecording);
        return;
      }
      const limit = Math.round(state.limits.voice_seconds);
      const seconds = Math.min(Math.round((Date.now() - started) / 1000), limit);
      const label = `${t().voiceNote} ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
      const name = `voice-note.${type.endsWith("ogg") ? "ogg" : "webm"}`;
      const caption = text.value.trim();
      text.value = "";
      upload(blob, "voice", name, caption, mediaBubble(blob, "voice", caption, label));
    });
    const tick = () => {
      const seconds = Math.floor((Date.now() - started) / 1000);
      button.textContent = `⏹ ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
    };
    state.recording = {
      recorder,
      timer: setInterval(tick, 250),
      limit: setTimeout(() => recorder.state !== "inactive" && recorder.stop(), state.limits.voice_seconds * 1000),
    };
    recorder.start(1000);
    button.classList.add("recording");
    tick();
    applyLanguage();
  }

  // Wiring.

  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const words = text.value.trim();
    if (state.chosen) {
      sendChosen(words);
    } else if (words) {
      sendText(words);
    } else {
      return;
    }
    text.value = "";
    text.style.height = "";
  });
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("composer").requestSubmit();
    }
  });
  text.addEventListener("input", () => {
    text.style.height = "";
    text.style.height = `${Math.min(text.scrollHeight, 160)}px`;
  });
  $("file").addEventListener("change", (event) => choose(event.target.files[0]));
  $("chosen-clear").addEventListener("click", clearChosen);
  $("record").addEventListener("click", toggleRecording);

  let dragDepth = 0;
  document.addEventListener("dragenter", (event) => {
    event.preventDefault();
    dragDepth += 1;
    $("drop").hidden = false;
  });
  document.addEventListener("dragleave", () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (!dragDepth) $("drop").hidden = true;
  });
  document.addEventListener("dragover", (event) => event.preventDefault());
  document.addEventListener("drop", (event) => {
    event.preventDefault();
    dragDepth = 0;
    $("drop").hidden = true;
    choose(event.dataTransfer && event.dataTransfer.files[0]);
  });

  const welcome = el("article", "msg bot welcome");
  welcome.id = "welcome";
  welcome.append(el("p", "text"));
  log.append(welcome);
  applyLanguage();
  connect();
})();
