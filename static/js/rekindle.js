// Rekindle's only script: the quick exit, questionnaire progress, and drawing charts.
// No inline script anywhere (the Content-Security-Policy forbids it); figures arrive as
// JSON in <script type="application/json"> and are drawn here when they come into view.
(function () {
  "use strict";

  // --- Leave quickly: replace this page, so Back does not return to it. ---
  function quickExit(event) {
    var link = document.getElementById("quick-exit");
    if (!link) { return; }
    if (event) { event.preventDefault(); }
    document.body.style.visibility = "hidden";
    window.location.replace(link.getAttribute("data-quick-exit") || link.href);
  }

  function setUpQuickExit() {
    var link = document.getElementById("quick-exit");
    if (!link) { return; }
    link.addEventListener("click", quickExit);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") { quickExit(event); }
    });
  }

  // --- Questionnaire: progress as questions are answered, focus on the first error. ---
  function setUpProgress() {
    var form = document.getElementById("questionnaire");
    if (!form) { return; }
    var bar = document.getElementById("progress-bar");
    var count = document.getElementById("progress-count");
    var scored = form.querySelectorAll(".q-section:not(.safety-section) fieldset[data-question]");

    function update() {
      var answered = 0;
      scored.forEach(function (fieldset) {
        if (fieldset.querySelector("input[type=radio]:checked")) { answered += 1; }
      });
      bar.value = answered;
      bar.textContent = answered + " of " + scored.length;
      count.textContent = String(answered);
      form.querySelectorAll(".q-section[data-section]").forEach(function (section) {
        var questions = section.querySelectorAll("fieldset[data-question]");
        var done = Array.prototype.every.call(questions, function (q) {
          return q.querySelector("input[type=radio]:checked");
        });
        var link = document.querySelector('[data-section-link="' + section.getAttribute("data-section") + '"]');
        if (link) { link.classList.toggle("done", done); }
      });
    }

    form.addEventListener("change", update);
    update();

    var summary = document.getElementById("error-summary");
    var firstError = form.querySelector("fieldset.has-error");
    if (summary) {
      summary.focus();
      if (firstError) {
        firstError.scrollIntoView({ block: "center" });
        var firstRadio = firstError.querySelector("input[type=radio]");
        if (firstRadio) { firstRadio.focus({ preventScroll: true }); }
      }
    }
  }

  // --- Plan check-ins: ask "did it help?" only once the plan was tried. ---
  function setUpPlanCheckins() {
    document.querySelectorAll(".plan-checkin").forEach(function (block) {
      var id = block.getAttribute("data-plan");
      var helped = block.querySelector('[data-helped-for="' + id + '"]');
      function update() {
        var tried = block.querySelector('input[name="plan_' + id + '_tried"]:checked');
        var show = tried && (tried.value === "yes" || tried.value === "partly");
        helped.hidden = !show;
        if (!show) {
          helped.querySelectorAll("input").forEach(function (input) { input.checked = false; });
        }
      }
      block.addEventListener("change", update);
      update();
    });
  }

  // --- Copy buttons: shown only with JavaScript; the field itself stays selectable. ---
  function setUpCopyButtons() {
    document.querySelectorAll("[data-select-on-focus]").forEach(function (field) {
      field.addEventListener("focus", function () { field.select(); });
    });
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var id = button.getAttribute("data-copy");
      var field = document.getElementById(id);
      var status = document.querySelector('[data-copy-status="' + id + '"]');
      if (!field) { return; }
      button.hidden = false;
      function say(text) { if (status) { status.textContent = text; } }
      function fallback() {
        field.focus();
        field.select();
        var copied = false;
        try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
        say(copied ? "Copied. Paste it into a message to your partner."
          : "The link is selected: copy it with your device's copy command.");
      }
      button.addEventListener("click", function () {
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(function () {
            say("Copied. Paste it into a message to your partner.");
          }, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  // --- Charts: drawn one per task, only once they come into view. ---
  var queue = [];
  var drawing = false;

  function drawNext() {
    if (!queue.length) { drawing = false; return; }
    drawing = true;
    var figureScript = queue.shift();
    var target = document.getElementById(figureScript.getAttribute("data-target"));
    if (target && window.Plotly && !target.hasAttribute("data-drawn")) {
      var figure = JSON.parse(figureScript.textContent);
      target.setAttribute("data-drawn", "true");
      window.Plotly.newPlot(target, figure.data, figure.layout, {
        displayModeBar: false,
        responsive: true,
        staticPlot: false,
      });
    }
    setTimeout(drawNext, 0);
  }

  function enqueue(figureScript) {
    queue.push(figureScript);
    if (!drawing) { setTimeout(drawNext, 0); }
  }

  function setUpCharts() {
    var figures = document.querySelectorAll("script.chart-figure");
    if (!figures.length || !window.Plotly) { return; }
    if (!("IntersectionObserver" in window)) {
      figures.forEach(enqueue);
      return;
    }
    var byTarget = {};
    figures.forEach(function (script) { byTarget[script.getAttribute("data-target")] = script; });
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          enqueue(byTarget[entry.target.id]);
        }
      });
    }, { rootMargin: "200px 0px" });
    figures.forEach(function (script) {
      var target = document.getElementById(script.getAttribute("data-target"));
      if (target) { observer.observe(target); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpQuickExit();
    setUpProgress();
    setUpPlanCheckins();
    setUpCopyButtons();
    setUpCharts();
  });
})();
