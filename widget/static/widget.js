// crmlink profile widget: plain JavaScript, no dependencies, nothing fetched but the API of the
// server that served this file. A CRM page embeds it with one tag:
//
//   <script src="https://WIDGET-HOST/widget.js" data-token="VIEWER-TOKEN" defer></script>
//
// and marks each place for a card with an element such as
//
//   <div data-crmlink data-object="contact" data-record-id="003..." data-first-name="Ada"
//        data-last-name="Lovelace" data-company="Analytical Engines" data-title="CTO"></div>
//
// Only the allowlisted parameters of each kind are read and sent: account / opportunity: name,
// industry, location, website; lead / contact: first-name, last-name, company, title, email (or
// email-sha256), location. Any other attribute is ignored.
(function () {
  "use strict";

  var HASH_ONLY = /*HASH_ONLY*/false;
  var script = document.currentScript;
  if (!script || !script.src) {
    return;
  }
  var base = new URL(".", script.src).href;
  var token = script.getAttribute("data-token") || "";

  var PARAMS = {
    company: ["name", "industry", "location", "website"],
    member: ["first_name", "last_name", "company", "title", "email", "email_sha256", "location"]
  };
  var KIND = { account: "company", opportunity: "company", lead: "member", contact: "member" };
  var VIA = { manual: "your team's choice", sync: "CRM sync", match: "matching" };
  var STATES = {
    loading: "Finding the profile\u2026",
    none: "No matching profile was found.",
    ambiguous: "Several profiles could match. Pick the right one below.",
    not_visible: "You do not have access to this record in the CRM.",
    disabled: "The profile integration is turned off for this organisation.",
    expired: "This session has expired. Reload the page to continue.",
    refused: "This page's access to profiles was refused. Reload the page, or ask your administrator.",
    error: "The profile could not be loaded. Try again later."
  };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    return e;
  }

  function params(tag, kind) {
    var out = {};
    PARAMS[kind].forEach(function (name) {
      if (HASH_ONLY && name === "email") {
        return;
      }
      var v = tag.getAttribute("data-" + name.replace(/_/g, "-"));
      if (v && v.trim() !== "") {
        out[name] = v.trim().slice(0, 256);
      }
    });
    return out;
  }

  function api(call, body) {
    return fetch(base + "v1/" + call, {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      cache: "no-store",
      headers: { "Authorization": "Bearer " + token, "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (data) {
        return { ok: resp.ok, status: resp.status, data: data };
      });
    });
  }

  function stateOf(resp) {
    if (resp.ok) {
      return resp.data.state;
    }
    switch (resp.data && resp.data.error) {
      case "not_visible": return "not_visible";
      case "disabled": return "disabled";
      case "token_expired": return "expired";
      case "revoked_key":
      case "bad_token":
      case "unauthenticated":
      case "unknown_key": return "refused";
    }
    return "error";
  }

  function percent(score) {
    return score < 0.005 ? "under 1%" : Math.round(score * 100) + "%";
  }

  function ordinal(n) {
    return n === 1 ? "1st" : n === 2 ? "2nd" : n === 3 ? "3rd" : n + "th";
  }

  function profileBlock(p, headingLevel) {
    var box = el("div", "crmlink-profile");
    box.setAttribute("data-entity-id", p.id);
    box.appendChild(el("h" + headingLevel, "crmlink-name", p.name));
    var lines = [p.headline, p.company, p.location, p.website];
    lines.forEach(function (line) {
      if (line) {
        box.appendChild(el("p", "crmlink-line", line));
      }
    });
    if (p.connection) {
      var c = ordinal(p.connection.degree) + "-degree connection";
      if (p.connection.shared > 0) {
        c += " \u00b7 " + p.connection.shared + " shared connection" + (p.connection.shared === 1 ? "" : "s");
      }
      box.appendChild(el("p", "crmlink-connection", c));
    }
    return box;
  }

  function render(tag, card, resp) {
    var kind = KIND[tag.getAttribute("data-object")];
    var state = resp ? stateOf(resp) : "loading";
    while (card.firstChild) {
      card.removeChild(card.firstChild);
    }
    card.setAttribute("data-state", state);
    card.setAttribute("aria-busy", state === "loading" ? "true" : "false");
    card.removeAttribute("data-via");
    card.appendChild(el("h2", "crmlink-title", kind === "company" ? "Company profile" : "Member profile"));
    var status = el("p", "crmlink-status");
    status.setAttribute("role", "status");
    card.appendChild(status);
    if (state !== "match") {
      status.textContent = STATES[state] || STATES.error;
    }
    if (!resp || !resp.ok) {
      return;
    }
    var data = resp.data;
    card.setAttribute("data-via", data.via);
    if (data.best) {
      var best = profileBlock(data.best, 3);
      best.classList.add("crmlink-best");
      var how = el("p", "crmlink-via", "Found by " + (VIA[data.via] || data.via));
      how.setAttribute("data-via", data.via);
      if (data.best.score !== undefined) {
        how.appendChild(document.createTextNode(" \u00b7 score " + percent(data.best.score)));
      }
      best.appendChild(how);
      if (data.best.why && data.best.why.length) {
        var why = el("ul", "crmlink-why");
        why.setAttribute("aria-label", "Why this profile");
        data.best.why.forEach(function (w) { why.appendChild(el("li", "", w)); });
        best.appendChild(why);
      }
      var no = el("button", "crmlink-reject", "Not this one");
      no.type = "button";
      no.setAttribute("aria-label", "Not this one: " + data.best.name);
      no.addEventListener("click", function () { act(tag, card, "reject", data.best.id); });
      best.appendChild(no);
      card.appendChild(best);
      if (state === "match") {
        status.textContent = "Profile found: " + data.best.name;
      }
    }
    if (data.candidates && data.candidates.length) {
      card.appendChild(el("h3", "crmlink-subtitle", data.best ? "Other possible profiles" : "Possible profiles"));
      var list = el("ul", "crmlink-candidates");
      data.candidates.forEach(function (c) {
        var li = el("li", "crmlink-candidate");
        li.setAttribute("data-entity-id", c.id);
        li.appendChild(profileBlock(c, 4));
        if (c.score !== undefined) {
          li.appendChild(el("p", "crmlink-score", "score " + percent(c.score)));
        }
        var pick = el("button", "crmlink-choose", "This is the one");
        pick.type = "button";
        pick.setAttribute("aria-label", "Choose " + c.name);
        pick.addEventListener("click", function () { act(tag, card, "choose", c.id); });
        li.appendChild(pick);
        list.appendChild(li);
      });
      card.appendChild(list);
    }
  }

  function record(tag) {
    return { object: tag.getAttribute("data-object"), record_id: tag.getAttribute("data-record-id") };
  }

  function load(tag, card) {
    var kind = KIND[tag.getAttribute("data-object")];
    render(tag, card, null);
    var body = record(tag);
    body.params = params(tag, kind);
    return api("card", body).then(function (resp) {
      render(tag, card, resp);
    }, function () {
      render(tag, card, { ok: false, status: 0, data: {} });
    });
  }

  function act(tag, card, call, entityID) {
    var body = record(tag);
    body.entity_id = entityID;
    card.setAttribute("aria-busy", "true");
    api(call, body).then(function (resp) {
      if (!resp.ok) {
        render(tag, card, resp);
        return;
      }
      load(tag, card).then(function () {
        var first = card.querySelector("button");
        if (first) {
          first.focus();
        }
      });
    }, function () {
      render(tag, card, { ok: false, status: 0, data: {} });
    });
  }

  function start() {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = base + "widget.css";
    document.head.appendChild(link);
    var tags = document.querySelectorAll("[data-crmlink]");
    Array.prototype.forEach.call(tags, function (tag) {
      if (!KIND[tag.getAttribute("data-object")]) {
        return;
      }
      var card = el("section", "crmlink-card");
      card.setAttribute("aria-label", "Network profile");
      tag.appendChild(card);
      load(tag, card);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
