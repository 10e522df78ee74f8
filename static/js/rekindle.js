// Rekindle's only script: the quick exit, questionnaire progress, copy and print buttons,
// and drawing History's and Partner's charts (the radar is drawn on the server).
// No inline script anywhere (the Content-Security-Policy forbids it); figures arrive as
// JSON in <script type="application/json"> and are drawn here when they come into view.
(function () {
  "use strict";

  // --- Words: every sentence this script shows comes from the page (base.html renders
  // them in the reader's language); "%(name)s" placeholders are filled in here. ---
  var WORDS = null;
  function say(key, values) {
    if (WORDS === null) {
      var block = document.getElementById("rekindle-words");
      try { WORDS = block ? JSON.parse(block.textContent) : {}; } catch (error) { WORDS = {}; }
    }
    var text = WORDS[key] || "";
    return text.replace(/%\((\w+)\)s/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  // --- Leave quickly: replace this page, so Back does not return to it. ---
  function quickExit(event) {
    var link = document.getElementById("quick-exit");
    if (!link) { return; }
    if (event) { event.preventDefault(); }
    document.body.style.visibility = "hidden";
    window.location.replace(link.getAttribute("data-quick-exit") || link.href);
  }

  // Shift pressed three times within 5 seconds leaves too (GOV.UK's "Exit this page").
  // Only bare presses count: Shift held to type a capital, or any other key between the
  // presses, starts the count again, so typing never leaves. Escape alone does nothing.
  var SHIFT_PRESSES = 3;
  var SHIFT_WINDOW_MS = 5000;

  function setUpQuickExit() {
    var link = document.getElementById("quick-exit");
    if (!link) { return; }
    link.addEventListener("click", quickExit);
    var presses = [];
    var shiftDown = false;
    var otherKeyWhileShift = false;
    document.addEventListener("keydown", function (event) {
      if (event.key === "Shift") {
        if (!event.repeat) { shiftDown = true; otherKeyWhileShift = false; }
        return;
      }
      presses = [];
      if (shiftDown) { otherKeyWhileShift = true; }
    });
    document.addEventListener("keyup", function (event) {
      if (event.key !== "Shift") { return; }
      var bare = shiftDown && !otherKeyWhileShift;
      shiftDown = false;
      if (!bare) { presses = []; return; }
      var now = Date.now();
      presses = presses.filter(function (t) { return now - t <= SHIFT_WINDOW_MS; });
      presses.push(now);
      if (presses.length >= SHIFT_PRESSES) { presses = []; quickExit(event); }
    });
    // A click or a tap between presses also starts the count again.
    document.addEventListener("mousedown", function () { presses = []; });
  }

  // --- Questionnaire: progress as questions are answered, focus on the first error. ---
  function setUpProgress() {
    var form = document.getElementById("questionnaire");
    if (!form) { return; }
    var bar = document.getElementById("progress-bar");
    var count = document.getElementById("progress-count");
    var scored = form.querySelectorAll(".q-section:not(.safety-section) fieldset[data-question]");
    var line = progressLine();

    function update() {
      var answered = 0;
      scored.forEach(function (fieldset) {
        if (fieldset.querySelector("input[type=radio]:checked")) { answered += 1; }
      });
      bar.value = answered;
      bar.textContent = say("progress", { answered: answered, total: scored.length });
      count.textContent = String(answered);
      if (line) { line.style.width = (100 * answered / Math.max(1, scored.length)) + "%"; }
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
    // Back to this page after sending it: the browser puts the answers back after the page
    // has loaded, without a "change" event, so count them again then.
    window.addEventListener("pageshow", update);
    window.addEventListener("load", update);

    keepTokenWithAnswers(form);
    keepQuestionsInSight(form);
    var steps = setUpSteps(form);

    var summary = document.getElementById("error-summary");
    var firstError = form.querySelector("fieldset.has-error");
    if (summary) {
      summary.focus();
      if (firstError) {
        steps.showStepOf(firstError);
        firstError.scrollIntoView({ block: "center" });
        var firstRadio = firstError.querySelector("input[type=radio]");
        if (firstRadio) { firstRadio.focus({ preventScroll: true }); }
      }
    }
  }

  // A slim line along the bottom of the fixed bar: how much is answered. It is the only
  // thing the questionnaire keeps on screen besides the bar (a phone needs its height).
  function progressLine() {
    var topBar = document.querySelector(".top-bar");
    if (!topBar) { return null; }
    var track = document.createElement("div");
    track.className = "progress-line";
    track.setAttribute("aria-hidden", "true");
    var fill = document.createElement("span");
    track.appendChild(fill);
    topBar.appendChild(track);
    return fill;
  }

  // A question's words stay in sight whenever its answers are brought into view: answers
  // scrolled to (a link, the browser) stop below the question, and an answer reached with
  // the keyboard brings its question back out from under the bar.
  function keepQuestionsInSight(form) {
    function measure() {
      form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
        var legend = fieldset.querySelector("legend");
        if (legend && legend.offsetHeight) {
          fieldset.style.setProperty("--legend-room", legend.offsetHeight + "px");
        }
      });
    }
    measure();
    window.addEventListener("resize", measure);
    form.addEventListener("rekindle:step", measure);
    form.addEventListener("focusin", function (event) {
      var fieldset = event.target.closest && event.target.closest("fieldset.question");
      var topBar = document.querySelector(".top-bar");
      if (!fieldset || !topBar) { return; }
      // Only for the keyboard: scrolling under a finger or a mouse mid-tap would lose the tap.
      if (event.target.matches && !event.target.matches(":focus-visible")) { return; }
      var legend = fieldset.querySelector("legend");
      window.requestAnimationFrame(function () {
        var clear = topBar.getBoundingClientRect().bottom + 8;
        var top = legend.getBoundingClientRect().top;
        var bottom = event.target.getBoundingClientRect().bottom;
        // Only when the question and this answer both fit below the bar.
        if (top < clear && bottom - top < window.innerHeight - clear) {
          window.scrollBy(0, top - clear);
        }
      });
    });
  }

  // --- On a phone, one area per screen, with Back and Next; every area on one page above
  // 768 px and without JavaScript. Only the form holds the answers (never browser storage).
  function setUpSteps(form) {
    var none = { showStepOf: function () {} };
    if (!document.querySelector(".section-steps") || !window.matchMedia) { return none; }
    var phone = window.matchMedia("(max-width: 47.99rem)");
    var steps = Array.prototype.slice.call(form.querySelectorAll(".q-section"));
    var submitRow = form.querySelector(".submit-row");
    if (steps.length < 2) { return none; }
    var current = 0;

    function headingOf(step) {
      return step.querySelector("h2");
    }

    function nameOf(step) {
      var heading = headingOf(step);
      var named = step.getAttribute("data-step-name");
      if (named) { return named; }
      // The heading reads "Part 2 of 6: Communication" in any language: what follows the
      // first colon after the numbers is the area's name.
      var text = heading ? heading.textContent.replace(/\s+/g, " ").trim() : "";
      return text.replace(/^[^:]*\d[^:]*:\s*/, "");
    }

    steps.forEach(function (step, index) {
      var nav = document.createElement("div");
      nav.className = "step-nav";
      if (index > 0) {
        var back = document.createElement("button");
        back.type = "button";
        back.className = "button button-quiet step-back";
        back.textContent = say("back");
        back.addEventListener("click", function () { show(index - 1, true); });
        nav.appendChild(back);
      }
      if (index < steps.length - 1) {
        var next = document.createElement("button");
        next.type = "button";
        next.className = "button step-next";
        next.textContent = say("next", { part: nameOf(steps[index + 1]) });
        next.addEventListener("click", function () { show(index + 1, true); });
        nav.appendChild(next);
      }
      nav.hidden = true;
      step.appendChild(nav);
    });

    function stepping() { return phone.matches; }

    function show(index, moveFocus) {
      current = Math.max(0, Math.min(steps.length - 1, index));
      var on = stepping();
      steps.forEach(function (step, i) {
        step.hidden = on && i !== current;
        step.querySelector(".step-nav").hidden = !on;
      });
      if (submitRow) { submitRow.hidden = on && current !== steps.length - 1; }
      form.classList.toggle("stepping", on);
      form.dispatchEvent(new CustomEvent("rekindle:step"));
      if (on && moveFocus) {
        var heading = headingOf(steps[current]) || steps[current];
        heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
        steps[current].scrollIntoView({ block: "start" });
      }
    }

    function stepOf(element) {
      for (var i = 0; i < steps.length; i += 1) {
        if (steps[i].contains(element)) { return i; }
      }
      return -1;
    }

    // Links to a question or a part (the error summary, the list of parts) open its step.
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest('a[href^="#"]');
      if (!link || !stepping()) { return; }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      var index = target ? stepOf(target) : -1;
      if (index >= 0 && index !== current) { show(index, false); }
    });

    show(0, false);
    if (phone.addEventListener) {
      phone.addEventListener("change", function () { show(current, false); });
    }
    return {
      showStepOf: function (element) {
        var index = stepOf(element);
        if (index >= 0) { show(index, false); }
      },
    };
  }

  // Back after sending the questionnaire shows the page again with the answers the browser
  // kept. Chromium keeps a text field's typed value, never a hidden field's, so the token
  // becomes a hidden text field whose value differs from its default: the browser then puts
  // it back with the answers, and sending them again sends the same token, which leads to
  // the result already stored and stores nothing new. Nothing goes to browser storage.
  function keepTokenWithAnswers(form) {
    var token = form.querySelector('input[name="submission_token"]');
    if (!token) { return; }
    var drawn = token.value;
    token.type = "text";
    token.hidden = true;
    token.setAttribute("aria-hidden", "true");
    token.tabIndex = -1;
    token.value = drawn;
    token.defaultValue = "";
    function sayWhenRestored() {
      if (token.value === drawn || document.getElementById("answers-restored")) { return; }
      var note = document.createElement("p");
      note.id = "answers-restored";
      note.className = "note";
      note.setAttribute("role", "status");
      note.textContent = say("restored");
      form.parentNode.insertBefore(note, form);
    }
    window.addEventListener("pageshow", sayWhenRestored);
    window.addEventListener("load", sayWhenRestored);
  }

  // --- A page shown again with an error: the error takes focus, wherever it is. ---
  // A long page (Account) reloads at its top; the problem may be far below. Its field takes
  // focus (its error is read with it), or else the error summary; the questionnaire does
  // its own (setUpProgress).
  function focusFirstProblem() {
    if (document.getElementById("questionnaire")) { return; }
    var summary = document.querySelector("main .error-summary");
    var fieldError = document.querySelector("main .field-error");
    var target = null;
    var shown = null;
    if (summary) {
      if (!summary.hasAttribute("tabindex")) { summary.tabIndex = -1; }
      target = shown = summary;
    } else if (fieldError) {
      shown = fieldError.closest(".form-row, fieldset") || fieldError;
      target = shown.querySelector("input:not([type=hidden]), select, textarea") || fieldError;
      if (target === fieldError) { fieldError.tabIndex = -1; }
    }
    if (!target) { return; }
    shown.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }

  // --- Plan check-ins: ask "did it help?" and "keep it?" only once the plan was tried. ---
  function setUpPlanCheckins() {
    document.querySelectorAll(".plan-checkin").forEach(function (block) {
      var id = block.getAttribute("data-plan");
      var asked = [
        block.querySelector('[data-helped-for="' + id + '"]'),
        block.querySelector('[data-keep-for="' + id + '"]'),
      ].filter(Boolean);
      function update() {
        var tried = block.querySelector('input[name="plan_' + id + '_tried"]:checked');
        var show = tried && (tried.value === "yes" || tried.value === "partly");
        asked.forEach(function (part) {
          part.hidden = !show;
          if (!show) {
            part.querySelectorAll("input").forEach(function (input) { input.checked = false; });
          }
        });
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
      function tell(text) { if (status) { status.textContent = text; } }
      function fallback() {
        field.focus();
        field.select();
        var copied = false;
        try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
        tell(say(copied ? "link_copied" : "link_selected"));
      }
      button.addEventListener("click", function () {
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(function () {
            tell(say("link_copied"));
          }, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  // --- Recovery codes: copied or downloaded as a text file, made here from the page. ---
  // Nothing is fetched, so no request can mint or show codes again; the file's name says
  // nothing of Rekindle, should someone else look through the device's downloads.
  function setUpRecoveryCodes() {
    var status = document.querySelector("[data-codes-status]");
    var FILE_NAME = "recovery-codes.txt";
    function tell(text) { if (status) { status.textContent = text; } }
    function codesText(id) {
      var list = document.getElementById(id);
      if (!list) { return ""; }
      var codes = Array.prototype.map.call(list.querySelectorAll(".recovery-code"), function (code) {
        return code.textContent.trim();
      });
      return say("codes_heading") + "\r\n\r\n" + codes.join("\r\n") + "\r\n";
    }
    document.querySelectorAll("button[data-copy-codes]").forEach(function (button) {
      button.addEventListener("click", function () {
        var text = codesText(button.getAttribute("data-copy-codes"));
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () {
            tell(say("codes_copied"));
          }, function () { tell(say("codes_not_copied")); });
        } else {
          tell(say("codes_no_clipboard"));
        }
      });
    });
    document.querySelectorAll("button[data-download-codes]").forEach(function (button) {
      button.addEventListener("click", function () {
        var text = codesText(button.getAttribute("data-download-codes"));
        var link = document.createElement("a");
        link.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
        link.download = FILE_NAME;
        document.body.appendChild(link);
        link.click();
        document.body.removeChild(link);
        setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
        tell(say("codes_downloaded", { file: FILE_NAME }));
      });
    });
  }

  // --- Charts: drawn one per task, only once they come into view. ---
  // Colours come from the stylesheet, so charts follow light and dark mode; printing draws
  // every chart not drawn yet, at a width that fits the paper, in ink for white paper.
  var PRINT_WIDTH = 640;
  var PRINT_COLOURS = { ink: "#000000", muted: "#444444", grid: "#bbbbbb" };
  var CONFIG = { displayModeBar: false, responsive: true, staticPlot: false };
  var queue = [];
  var drawing = false;
  var printing = false;
  var colours = null;  // read from the stylesheet once, again when the scheme or media change

  function palette(style, name) {
    return style.getPropertyValue(name).trim().split(/[\s,]+/).filter(Boolean)
      .map(function (c) { return c.toLowerCase(); });
  }

  function currentColours() {
    if (!colours) {
      var style = getComputedStyle(document.documentElement);
      var light = palette(style, "--chart-palette-light");
      colours = printing ? {
        from: light, to: light,
        ink: PRINT_COLOURS.ink, muted: PRINT_COLOURS.muted, grid: PRINT_COLOURS.grid,
      } : {
        from: light, to: palette(style, "--chart-palette"),
        ink: style.getPropertyValue("--ink").trim(),
        muted: style.getPropertyValue("--muted").trim(),
        grid: style.getPropertyValue("--chart-grid").trim(),
      };
    }
    return colours;
  }

  function rgbOf(hex) {
    var n = parseInt(hex.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255].join(",");
  }

  // A colour from the light palette becomes the same place in the palette in use.
  function recolour(value, from, to) {
    if (typeof value !== "string") { return value; }
    var v = value.toLowerCase().replace(/\s+/g, "");
    var alpha = v.match(/^rgba\((\d+,\d+,\d+),([\d.]+)\)$/);
    for (var i = 0; i < from.length && i < to.length; i += 1) {
      if (v === from[i]) { return to[i]; }
      if (alpha && alpha[1] === rgbOf(from[i])) { return "rgba(" + rgbOf(to[i]) + "," + alpha[2] + ")"; }
    }
    return value;
  }

  function themed(figure) {
    var c = currentColours();
    var from = c.from, to = c.to, ink = c.ink, muted = c.muted, grid = c.grid;
    figure.data.forEach(function (trace) {
      if (trace.line) { trace.line.color = recolour(trace.line.color, from, to); }
      if (trace.fillcolor) { trace.fillcolor = recolour(trace.fillcolor, from, to); }
      if (trace.marker) {
        trace.marker.color = recolour(trace.marker.color, from, to);
        if (trace.marker.line) { trace.marker.line.color = ink; }
      }
    });
    var layout = figure.layout;
    layout.font = Object.assign({}, layout.font, { color: ink });
    ["xaxis", "yaxis"].forEach(function (name) {
      if (layout[name]) {
        Object.assign(layout[name], { gridcolor: grid, linecolor: muted, zerolinecolor: muted });
      }
    });
    if (printing) { layout.width = PRINT_WIDTH; }
    return figure;
  }

  // Dates and numbers in the reader's language: the page gives plotly its month and day
  // names and decimal mark (a plotly locale, registered once before the first chart).
  var localeRegistered = false;
  function registerLocale() {
    if (localeRegistered) { return; }
    localeRegistered = true;
    say("back");  // reads the words block
    var locale = WORDS && WORDS.chart_language;
    if (!locale || !window.Plotly.register) { return; }
    window.Plotly.register({ moduleType: "locale", name: locale.name, dictionary: {}, format: locale.format });
    CONFIG.locale = locale.name;
  }

  function draw(figureScript) {
    var target = document.getElementById(figureScript.getAttribute("data-target"));
    if (!target || !window.Plotly) { return; }
    registerLocale();
    var figure = themed(JSON.parse(figureScript.textContent));
    target.setAttribute("data-drawn", "true");
    window.Plotly.react(target, figure.data, figure.layout, CONFIG);
  }

  function drawNext() {
    if (!queue.length) { drawing = false; return; }
    drawing = true;
    var figureScript = queue.shift();
    var target = document.getElementById(figureScript.getAttribute("data-target"));
    if (target && !target.hasAttribute("data-drawn")) { draw(figureScript); }
    setTimeout(drawNext, 0);
  }

  function enqueue(figureScript) {
    queue.push(figureScript);
    if (!drawing) { setTimeout(drawNext, 0); }
  }

  // Redraw what is drawn (the colour scheme changed, or printing ended); with ``all``, every
  // chart, drawn or not (printing started: a chart never scrolled to must not print empty).
  function redraw(all) {
    document.querySelectorAll("script.chart-figure").forEach(function (figureScript) {
      var target = document.getElementById(figureScript.getAttribute("data-target"));
      if (target && (all || target.hasAttribute("data-drawn"))) { draw(figureScript); }
    });
  }

  // Folds open for print, so every table is on paper; closed again afterwards.
  function openFolds() {
    document.querySelectorAll("main details:not([open]):not(.confirm)").forEach(function (fold) {
      fold.setAttribute("data-opened-for-print", "");
      fold.open = true;
    });
  }

  function closeFolds() {
    document.querySelectorAll("main details[data-opened-for-print]").forEach(function (fold) {
      fold.removeAttribute("data-opened-for-print");
      fold.open = false;
    });
  }

  function setUpPrinting() {
    window.addEventListener("beforeprint", function () {
      printing = true;
      colours = null;
      openFolds();
      if (window.Plotly) { redraw(true); }
    });
    window.addEventListener("afterprint", function () {
      printing = false;
      colours = null;
      closeFolds();
      if (window.Plotly) { redraw(false); }
    });
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // plotly.js is large: it is fetched only when the first chart comes near the screen,
  // by adding its script tag then (the URL is on each chart), and every chart that came
  // into view while it loaded is drawn once it has.
  var plotlyLoading = false;
  var waiting = [];

  function loadPlotly(src) {
    if (plotlyLoading || !src) { return; }
    plotlyLoading = true;
    var script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.addEventListener("load", function () {
      var ready = waiting;
      waiting = [];
      ready.forEach(enqueue);
    });
    document.head.appendChild(script);
  }

  function want(figureScript) {
    if (window.Plotly) { enqueue(figureScript); return; }
    waiting.push(figureScript);
    var target = document.getElementById(figureScript.getAttribute("data-target"));
    loadPlotly(target && target.getAttribute("data-plotly-src"));
  }

  function setUpCharts() {
    var figures = document.querySelectorAll("script.chart-figure");
    if (!figures.length) { return; }
    if (window.matchMedia) {
      var dark = window.matchMedia("(prefers-color-scheme: dark)");
      if (dark.addEventListener) {
        dark.addEventListener("change", function () {
          colours = null;
          if (window.Plotly) { redraw(false); }
        });
      }
    }
    if (!("IntersectionObserver" in window)) {
      figures.forEach(want);
      return;
    }
    var byTarget = {};
    figures.forEach(function (script) { byTarget[script.getAttribute("data-target")] = script; });
    // plotly.js is fetched when the first chart comes within 150 px of the screen, so it is
    // there when the chart is; each chart is drawn once a tenth of it is on screen: a phone
    // works only on what is seen.
    var near = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          near.disconnect();
          loadPlotly(entry.target.getAttribute("data-plotly-src"));
        }
      });
    }, { rootMargin: "150px 0px" });
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          seen.unobserve(entry.target);
          want(byTarget[entry.target.id]);
        }
      });
    }, { threshold: 0.1 });
    figures.forEach(function (script) {
      var target = document.getElementById(script.getAttribute("data-target"));
      if (target) {
        near.observe(target);
        seen.observe(target);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpQuickExit();
    focusFirstProblem();
    setUpProgress();
    setUpPlanCheckins();
    setUpCopyButtons();
    setUpRecoveryCodes();
    setUpPrinting();
    setUpCharts();
  });
})();
