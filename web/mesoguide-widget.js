/*
 * MesoGuide chat widget: one script tag on any page,
 *
 *   <script src="/mesoguide-widget.js" data-rasa-url="https://chat.clinic.example" defer></script>
 *
 * talks to Rasa's socket.io channel (credentials.yml: user_uttered / bot_uttered,
 * session_persistence: true). It loads its CSS (mesoguide-widget.css) and socket.io-client
 * (vendor/socket.io.min.js) from the folder the script itself came from, never from a CDN.
 *
 * Attributes on the script tag:
 *   data-rasa-url  the Rasa server's public URL (default http://localhost:5005); a path in it
 *                  ("https://clinic.example/rasa") is where socket.io is mounted behind a proxy
 *   data-title     the panel's heading (default "MesoGuide")
 *
 * The session id and the transcript are kept in localStorage, so a reload (or another page of
 * the same site) continues the same conversation; "New chat" forgets both.
 */
(function () {
  "use strict";

  if (window.MesoGuideWidget) return; // the script tag was included twice

  var script =
    document.currentScript || document.querySelector("script[data-rasa-url][src*='mesoguide']");
  var scriptUrl = new URL((script && script.src) || "/mesoguide-widget.js", document.baseURI);
  var rasaUrl = new URL(
    (script && script.getAttribute("data-rasa-url")) || "http://localhost:5005",
    document.baseURI
  );
  var TITLE = (script && script.getAttribute("data-title")) || "MesoGuide";

  var STORAGE = {
    session: "mesoguide.session.v1",
    transcript: "mesoguide.transcript.v1",
    open: "mesoguide.open.v1",
  };
  var MAX_SAVED_MESSAGES = 200;
  // more sources than this fold into a "Sources (n)" button
  var MAX_OPEN_SOURCES = 2;
  // ids for source lists: transcript positions repeat once the transcript is trimmed
  var sourceListCount = 0;
  var REPLY_TIMEOUT_MS = 30000;
  var URL_PATTERN = /https?:\/\/[^\s<>"']+/g;

  // --- storage (private browsing or a full quota must not break the chat) -------------------

  function load(key, fallback) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (error) {
      return fallback;
    }
  }

  function save(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (error) {
      /* not saved: the conversation still works, it just will not survive a reload */
    }
  }

  function forget(key) {
    try {
      window.localStorage.removeItem(key);
    } catch (error) {
      /* nothing to do */
    }
  }

  function newSessionId() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID().replace(/-/g, "");
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  var sessionId = load(STORAGE.session, null);
  if (typeof sessionId !== "string" || !sessionId) {
    sessionId = newSessionId();
    save(STORAGE.session, sessionId);
  }
  // [{from: "bot" | "user", text: "...", buttons: [{title, payload}]}]
  var transcript = load(STORAGE.transcript, []);
  if (!Array.isArray(transcript)) transcript = [];

  // --- DOM helpers --------------------------------------------------------------------------

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* Bot text as text nodes and links: URLs become links opening in a new tab; line breaks
     are kept by the CSS (white-space: pre-wrap). Nothing from the server is parsed as HTML. */
  function linkify(text) {
    var fragment = document.createDocumentFragment();
    var last = 0;
    text.replace(URL_PATTERN, function (match, offset) {
      var url = match.replace(/[.,;:!?]+$/, "");
      // a closing parenthesis belongs to the URL only when the URL opened one
      while (url.endsWith(")") && url.split("(").length < url.split(")").length) {
        url = url.slice(0, -1);
      }
      fragment.appendChild(document.createTextNode(text.slice(last, offset)));
      fragment.appendChild(
        el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: url })
      );
      last = offset + url.length;
      return match;
    });
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  // --- the widget's elements ----------------------------------------------------------------

  /* A speech bubble, drawn inline: no emoji font or image file needed. */
  function chatIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "mg-launcher-icon");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "22");
    svg.setAttribute("height", "22");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute(
      "d",
      "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6a1.5 " +
        "1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 " +
        "0 1 0 0 3 1.5 1.5 0 0 0 0-3z"
    );
    svg.appendChild(path);
    return svg;
  }

  var ids = {
    panel: "mesoguide-panel",
    title: "mesoguide-title",
    input: "mesoguide-input",
    log: "mesoguide-log",
  };

  var launcher = el(
    "button",
    {
      type: "button",
      class: "mg-launcher",
      "aria-controls": ids.panel,
      "aria-expanded": "false",
    },
    [chatIcon(), "Ask MesoGuide"]
  );

  var closeButton = el("button", {
    type: "button",
    class: "mg-icon-button",
    "aria-label": "Close chat",
    title: "Close chat",
    text: "✕",
  });
  var newChatButton = el("button", {
    type: "button",
    class: "mg-text-button",
    title: "Forget this conversation and start a new one",
    text: "New chat",
  });
  var status = el("p", { class: "mg-status", role: "status" });
  var log = el("div", {
    id: ids.log,
    class: "mg-log",
    role: "log",
    "aria-live": "polite",
    "aria-relevant": "additions",
    "aria-label": "Conversation with " + TITLE,
    tabindex: "0",
  });
  var typing = el("div", { class: "mg-typing", hidden: "" }, [
    el("span", { class: "mg-dots", "aria-hidden": "true" }, [
      el("span"),
      el("span"),
      el("span"),
    ]),
    el("span", { class: "mg-visually-hidden", text: TITLE + " is typing" }),
  ]);
  var input = el("input", {
    id: ids.input,
    class: "mg-input",
    type: "text",
    autocomplete: "off",
    enterkeyhint: "send",
    maxlength: "1000",
    placeholder: "e.g. Does it hurt?",
  });
  var sendButton = el("button", { type: "submit", class: "mg-send", text: "Send" });
  var form = el("form", { class: "mg-form" }, [
    el("label", { for: ids.input, class: "mg-visually-hidden", text: "Type your question" }),
    input,
    sendButton,
  ]);
  var panel = el(
    "section",
    {
      id: ids.panel,
      class: "mg-panel",
      role: "dialog",
      "aria-labelledby": ids.title,
      hidden: "",
    },
    [
      el("header", { class: "mg-header" }, [
        el("div", { class: "mg-heading" }, [
          el("h2", { id: ids.title, class: "mg-title", text: TITLE }),
          el("p", {
            class: "mg-subtitle",
            text: "Automated assistant, not a doctor",
          }),
        ]),
        newChatButton,
        closeButton,
      ]),
      log,
      typing,
      status,
      form,
      el("p", {
        class: "mg-footer",
        text: "General information only, not medical advice.",
      }),
    ]
  );
  var root = el("div", { class: "mg-root", lang: "en" }, [panel, launcher]);

  // --- transcript -----------------------------------------------------------------------------

  function renderMessage(message, index) {
    var bubble = el("div", { class: "mg-message mg-from-" + message.from }, [
      el("span", {
        class: "mg-visually-hidden",
        text: message.from === "user" ? "You: " : TITLE + ": ",
      }),
    ]);
    var body = el("div", { class: "mg-text" });
    if (message.from === "bot") body.appendChild(linkify(message.text || ""));
    else body.textContent = message.text;
    bubble.appendChild(body);
    if (message.sources && message.sources.length) {
      bubble.appendChild(sourcesElement(message.sources));
    }
    if (message.image) {
      bubble.appendChild(el("img", { src: message.image, alt: "Image from " + TITLE }));
    }
    if (message.buttons && message.buttons.length) {
      var group = el("div", { class: "mg-buttons", role: "group", "aria-label": "Suggested replies" });
      message.buttons.forEach(function (button) {
        var node = el("button", { type: "button", class: "mg-quick-reply", text: button.title });
        node.addEventListener("click", function () {
          send(button.payload, button.title);
          input.focus(); // the buttons are gone now: keep the focus in the panel
        });
        group.appendChild(node);
      });
      bubble.appendChild(group);
    }
    bubble.setAttribute("data-index", String(index));
    log.appendChild(bubble);
  }

  /* An answer's sources in small print under it: names as links opening in a new tab; more
     than two fold into a "Sources (n)" button that opens the list (by click, Enter or Space). */
  function sourcesElement(sources) {
    var items = sources.map(function (source) {
      var name = source.url
        ? el("a", { href: source.url, target: "_blank", rel: "noopener noreferrer", text: source.name })
        : el("span", { text: source.name });
      return el("li", {}, [name]);
    });
    sourceListCount += 1;
    var list = el("ul", { class: "mg-source-list", id: "mg-sources-" + sourceListCount }, items);
    if (sources.length <= MAX_OPEN_SOURCES) {
      return el("div", { class: "mg-sources" }, [el("span", { text: "Sources: " }), list]);
    }
    list.hidden = true;
    var toggle = el("button", {
      type: "button",
      class: "mg-sources-toggle",
      "aria-expanded": "false",
      "aria-controls": list.id,
      text: "Sources (" + sources.length + ")",
    });
    toggle.addEventListener("click", function () {
      list.hidden = !list.hidden;
      toggle.setAttribute("aria-expanded", String(!list.hidden));
      if (!list.hidden) list.scrollIntoView({ block: "nearest" });
    });
    return el("div", { class: "mg-sources" }, [toggle, list]);
  }

  /* An answer's structured payload follows its text: the sources go under that bubble. */
  function attachSources(payload) {
    var sources = (payload.sources || [])
      .filter(function (source) {
        return source && source.name;
      })
      .map(function (source) {
        var url = String(source.url || "");
        return { name: String(source.name), url: /^https?:\/\//.test(url) ? url : "" };
      });
    var message = transcript[transcript.length - 1];
    var bubbles = log.querySelectorAll(".mg-from-bot");
    var bubble = bubbles[bubbles.length - 1];
    if (!sources.length || !message || message.from !== "bot" || message.sources || !bubble) return;
    message.sources = sources;
    save(STORAGE.transcript, transcript);
    bubble.insertBefore(sourcesElement(sources), bubble.querySelector(".mg-buttons"));
    scrollToEnd();
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function addMessage(message) {
    transcript.push(message);
    if (transcript.length > MAX_SAVED_MESSAGES) {
      transcript = transcript.slice(-MAX_SAVED_MESSAGES);
    }
    save(STORAGE.transcript, transcript);
    renderMessage(message, transcript.length - 1);
    scrollToEnd();
  }

  /* Suggested replies are answered once: they go when the person says anything. */
  function retireButtons() {
    var changed = false;
    transcript.forEach(function (message) {
      if (message.buttons && message.buttons.length) {
        message.buttons = [];
        changed = true;
      }
    });
    if (changed) save(STORAGE.transcript, transcript);
    Array.prototype.forEach.call(log.querySelectorAll(".mg-buttons"), function (group) {
      group.remove();
    });
  }

  // --- connection -------------------------------------------------------------------------------

  var socket = null;
  var sessionConfirmed = false;
  var outbox = []; // messages typed before the session was confirmed
  var replyTimer = null;
  var socketioLoading = null;

  function setStatus(text) {
    status.textContent = text || "";
  }

  function showTyping(on) {
    typing.hidden = !on;
    window.clearTimeout(replyTimer);
    if (on) {
      scrollToEnd();
      replyTimer = window.setTimeout(function () {
        typing.hidden = true;
        setStatus("No reply yet. Please check your connection and try again.");
      }, REPLY_TIMEOUT_MS);
    }
  }

  function loadSocketIo() {
    if (window.io) return Promise.resolve(window.io);
    if (!socketioLoading) {
      socketioLoading = new Promise(function (resolve, reject) {
        var tag = el("script", { src: new URL("vendor/socket.io.min.js", scriptUrl).href });
        tag.onload = function () {
          resolve(window.io);
        };
        tag.onerror = function () {
          socketioLoading = null;
          reject(new Error("could not load socket.io-client"));
        };
        document.head.appendChild(tag);
      });
    }
    return socketioLoading;
  }

  function connect() {
    if (socket) return;
    setStatus("Connecting…");
    loadSocketIo().then(
      function (io) {
        if (socket) return;
        var basePath = rasaUrl.pathname.replace(/\/+$/, "");
        socket = io(rasaUrl.origin, {
          path: basePath + "/socket.io",
          // WebSocket first (needs no CORS), long-polling when a proxy blocks WebSockets.
          transports: ["websocket", "polling"],
          tryAllTransports: true,
          forceNew: true,
        });
        socket.on("connect", function () {
          sessionConfirmed = false;
          socket.emit("session_request", { session_id: sessionId });
        });
        socket.on("session_confirm", function (confirmed) {
          var id = typeof confirmed === "string" ? confirmed : confirmed && confirmed.session_id;
          if (id && id !== sessionId) {
            sessionId = id;
            save(STORAGE.session, sessionId);
          }
          sessionConfirmed = true;
          setStatus("");
          while (outbox.length) emitUserMessage(outbox.shift());
        });
        socket.on("bot_uttered", receive);
        socket.on("disconnect", function () {
          sessionConfirmed = false;
          setStatus("Connection lost. Reconnecting…");
        });
        socket.on("connect_error", function () {
          setStatus("Cannot reach " + TITLE + " right now. Retrying…");
        });
      },
      function () {
        setStatus("The chat could not load. Please try again later.");
      }
    );
  }

  function emitUserMessage(payload) {
    socket.emit("user_uttered", { message: payload, session_id: sessionId });
  }

  function send(payload, shownText) {
    var text = (shownText || payload || "").trim();
    if (!text || !payload.trim()) return;
    retireButtons();
    addMessage({ from: "user", text: text });
    setStatus("");
    showTyping(true);
    if (socket && sessionConfirmed) emitUserMessage(payload);
    else {
      outbox.push(payload);
      connect();
    }
  }

  function receive(data) {
    if (!data) return;
    if (data.type === "answer") {
      attachSources(data);
      return;
    }
    var message = { from: "bot", text: "" };
    if (typeof data.text === "string") message.text = data.text;
    var quickReplies = data.quick_replies || data.buttons || [];
    if (quickReplies.length) {
      message.buttons = quickReplies
        .filter(function (button) {
          return button && button.title && button.payload;
        })
        .map(function (button) {
          return { title: String(button.title), payload: String(button.payload) };
        });
    }
    var attachment = data.attachment;
    if (attachment && attachment.type === "image" && attachment.payload) {
      var src = String(attachment.payload.src || "");
      if (/^https?:\/\//.test(src)) message.image = src;
    }
    if (!message.text && !message.image && !(message.buttons && message.buttons.length)) return;
    showTyping(false);
    setStatus("");
    addMessage(message);
  }

  // --- opening and closing ----------------------------------------------------------------------

  /* moveFocus false: leave the focus where it is (restoring the panel after a reload). */
  function setOpen(open, moveFocus) {
    panel.hidden = !open;
    root.classList.toggle("mg-open", open);
    launcher.setAttribute("aria-expanded", String(open));
    try {
      window.sessionStorage.setItem(STORAGE.open, open ? "1" : "0");
    } catch (error) {
      /* ignore */
    }
    if (open) {
      connect();
      scrollToEnd();
      if (moveFocus !== false) input.focus();
    } else if (moveFocus !== false) {
      launcher.focus();
    }
  }

  function startNewChat() {
    forget(STORAGE.transcript);
    transcript = [];
    sessionId = newSessionId();
    save(STORAGE.session, sessionId);
    log.textContent = "";
    showTyping(false);
    outbox = [];
    // A fresh socket: replies still on their way to the old conversation's room cannot
    // reach it, so none of them lands in the new chat.
    if (socket) {
      socket.off();
      socket.disconnect();
      socket = null;
      sessionConfirmed = false;
      connect();
    }
    input.focus();
  }

  launcher.addEventListener("click", function () {
    setOpen(panel.hidden);
  });
  closeButton.addEventListener("click", function () {
    setOpen(false);
  });
  newChatButton.addEventListener("click", startNewChat);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false);
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text.trim()) {
      input.focus();
      return;
    }
    input.value = "";
    send(text);
    input.focus();
  });

  // --- start ------------------------------------------------------------------------------------

  function mount() {
    transcript.forEach(renderMessage);
    document.body.appendChild(root);
    var wasOpen = false;
    try {
      wasOpen = window.sessionStorage.getItem(STORAGE.open) === "1";
    } catch (error) {
      /* ignore */
    }
    if (wasOpen) setOpen(true, false);
  }

  var stylesheet = el("link", {
    rel: "stylesheet",
    href: new URL("mesoguide-widget.css", scriptUrl).href,
  });
  var mounted = false;
  function mountOnce() {
    if (mounted) return;
    mounted = true;
    if (document.body) mount();
    else document.addEventListener("DOMContentLoaded", mount);
  }
  // Show the widget once its CSS is in (no flash of unstyled buttons), or anyway after a moment.
  stylesheet.onload = mountOnce;
  stylesheet.onerror = mountOnce;
  window.setTimeout(mountOnce, 3000);
  document.head.appendChild(stylesheet);

  window.MesoGuideWidget = {
    open: function () {
      setOpen(true);
    },
    close: function () {
      setOpen(false, false);
    },
    newChat: startNewChat,
    sessionId: function () {
      return sessionId;
    },
  };
})();
