// "Someone else is editing": the change form tells the server every 30 seconds that it is
// open, and shows who else has it open. It warns, it never blocks.
(function () {
  "use strict";

  function start() {
    var box = document.querySelector("[data-presence-url]");
    if (!box || !window.fetch) return;
    var url = box.getAttribute("data-presence-url");
    var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (!tokenInput) return;

    function send(extra) {
      var body = new URLSearchParams();
      body.append("csrfmiddlewaretoken", tokenInput.value);
      if (extra) body.append(extra, "1");
      return fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": tokenInput.value },
        keepalive: extra === "leave",
      });
  }

  function show(others) {
    box.textContent = "";
    if (!others.length) return;
    var p = document.createElement("p");
    others.forEach(function (other, index) {
      if (index) p.appendChild(document.createTextNode("; "));
      var strong = document.createElement("strong");
      strong.textContent = other.name;
      p.appendChild(strong);
      p.appendChild(document.createTextNode(" has this form open too, since " + other.since));
    });
    p.appendChild(document.createTextNode(
      ". You can still save: if they save first, your save is refused with your text kept."
    ));
    box.appendChild(p);
  }

  function beat() {
    send().then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data) show(data.others);
    }).catch(function () {});
  }

  var interval = parseInt(box.getAttribute("data-presence-interval") || "30000", 10);
  window.setInterval(beat, interval);
  // Coming back to the tab asks at once.
  window.addEventListener("focus", beat);
  window.addEventListener("pagehide", function () { send("leave"); });
  }

  // The admin loads form scripts in the head: wait for the form.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
