/*
 * The connect page: lets a customer pick a system, fill in its credential fields and connect it, with the
 * connect-session token from the page's URL (/connect/ibs_...). Plain JavaScript, no build step, no third-party code.
 *
 * When done it posts {type: "ironbridge:connect", status: "connected", connection_id, code, system, redirect_url} to
 * window.opener (popup) or window.parent (iframe); then, unless it runs inside an iframe, it navigates to redirect_url.
 * On load it posts {type: "ironbridge:connect", status: "ready"}.
 */
(function () {
  'use strict';

  var MESSAGE_TYPE = 'ironbridge:connect';
  var token = decodeURIComponent(location.pathname.split('/').pop() || '');
  var embedded = window.parent !== window;
  var systems = [];
  var current = null; // the chosen system
  var edited = {}; // field name -> whether the customer changed it
  var touched = {}; // field name -> whether it was left after an edit (errors show from then on)
  var submitted = false;

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') { e.textContent = attrs[k]; }
      else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) { e.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { e.appendChild(c); } });
    return e;
  }

  function show(step) {
    ['loading', 'step-choose', 'step-form', 'step-done', 'step-fatal'].forEach(function (id) {
      $(id).hidden = id !== step;
    });
  }

  function post(message) {
    message.type = MESSAGE_TYPE;
    var targets = [];
    if (window.opener && window.opener !== window) { targets.push(window.opener); }
    if (embedded) { targets.push(window.parent); }
    targets.forEach(function (t) {
      try { t.postMessage(message, '*'); } catch (e) { /* a closed opener */ }
    });
  }

  /** Calls the connect API; resolves to {status, body, requestId}; rejects only when the server cannot be reached. */
  function api(method, path, body) {
    var init = { method: method, headers: { 'Authorization': 'Bearer ' + token, 'Accept': 'application/json' },
      cache: 'no-store', credentials: 'omit' };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (res) {
      return res.text().then(function (text) {
        var parsed = null;
        try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = null; }
        return { status: res.status, body: parsed || {}, requestId: res.headers.get('X-Request-Id') };
      });
    });
  }

  function fatal(title, text) {
    $('fatal-title').textContent = title;
    $('fatal-text').textContent = text;
    show('step-fatal');
  }

  function linkProblem(res) {
    var detail = (res.body && res.body.detail) || '';
    if (/expired/i.test(detail)) {
      fatal('This link has expired', 'Links to connect a system work for a limited time. Ask the company that ' +
        'sent it to you for a new one.');
    } else if (/already used/i.test(detail)) {
      fatal('This link was already used', 'A system was already connected with this link. If you need to ' +
        'connect another system, ask for a new link.');
    } else {
      fatal('This link is not valid', 'Check that you copied the whole link, or ask the company that sent it ' +
        'to you for a new one.');
    }
  }

  // ------------------------------------------------------------------ choosing a system

  function load() {
    api('GET', '/v1/connect/systems').then(function (res) {
      if (res.status === 401) { linkProblem(res); return; }
      if (res.status !== 200) {
        fatal('This page is not available right now', 'Please try again in a few minutes.' +
          (res.requestId ? ' (Reference: ' + res.requestId + ')' : ''));
        return;
      }
      systems = res.body.data || [];
      if (systems.length === 0) {
        fatal('No system can be connected right now', 'Please contact the company that sent you this link.');
      } else if (systems.length === 1) {
        choose(systems[0], false);
      } else {
        listSystems();
      }
    }, function () {
      fatal('The server cannot be reached', 'Check your internet connection and reload this page.');
    });
  }

  function listSystems() {
    var list = $('systems');
    list.textContent = '';
    systems.forEach(function (s) {
      var meta = [s.vendor, (s.category || '').toUpperCase()].filter(Boolean).join(' · ');
      var button = el('button', { type: 'button', 'class': 'system', 'data-system': s.system }, [
        el('span', { 'class': 'system-name', text: s.name }),
        meta ? el('span', { 'class': 'system-meta', text: meta }) : null
      ]);
      button.addEventListener('click', function () { choose(s, true); });
      list.appendChild(el('li', {}, [button]));
    });
    show('step-choose');
  }

  // ------------------------------------------------------------------ the form

  function choose(system, canGoBack) {
    current = system;
    edited = {};
    touched = {};
    submitted = false;
    $('form-title').textContent = 'Connect ' + system.name;
    $('back').hidden = !canGoBack;
    $('fields').textContent = '';
    $('advanced-fields').textContent = '';
    var optional = 0;
    (system.credential_fields || []).forEach(function (f) {
      var target = f.required ? $('fields') : $('advanced-fields');
      if (!f.required) { optional++; }
      target.appendChild(fieldRow(f));
    });
    $('advanced').hidden = optional === 0;
    $('advanced').open = false;
    hideError();
    setBusy(false);
    show('step-form');
    var first = $('form').querySelector('input, select');
    if (first) { first.focus(); }
  }

  function fieldRow(f) {
    var id = 'field-' + f.name;
    var helpId = 'help-' + f.name;
    var errorId = 'error-' + f.name;
    var input;
    if (f.type === 'select') {
      input = el('select', { id: id, name: f.name });
      if (f.required && !f.default_value) {
        input.appendChild(el('option', { value: '', text: 'Choose…' }));
      }
      (f.options || []).forEach(function (o) {
        input.appendChild(el('option', { value: o, text: o, selected: o === f.default_value ? 'selected' : null }));
      });
    } else {
      input = el('input', {
        id: id,
        name: f.name,
        type: f.type === 'secret' ? 'password' : (f.type === 'url' ? 'url' : 'text'),
        inputmode: f.type === 'number' ? 'decimal' : (f.type === 'url' ? 'url' : null),
        autocomplete: f.type === 'secret' ? 'new-password' : 'off',
        spellcheck: 'false',
        placeholder: f.default_value ? f.default_value + ' (default)' : (f.type === 'url' ? 'https://…' : null)
      });
    }
    input.setAttribute('aria-describedby', (f.help ? helpId + ' ' : '') + errorId);
    if (f.required) { input.setAttribute('aria-required', 'true'); }
    // Errors show once a field was edited and left, or after a first submit; then they follow every keystroke.
    // (Leaving a field that was never edited shows nothing: the error would push the Connect button away from
    // under the pointer of someone who is clicking it.)
    input.addEventListener('input', function () {
      edited[f.name] = true;
      if (touched[f.name] || submitted) { check(f); }
    });
    input.addEventListener('change', function () {
      edited[f.name] = true;
      if (touched[f.name] || submitted) { check(f); }
    });
    input.addEventListener('blur', function () {
      if (edited[f.name]) { touched[f.name] = true; check(f); }
    });

    var control = input;
    if (f.type === 'secret') {
      var toggle = el('button', { type: 'button', 'class': 'toggle', 'aria-controls': id, text: 'Show' });
      toggle.addEventListener('click', function () {
        var hidden = input.type === 'password';
        input.type = hidden ? 'text' : 'password';
        toggle.textContent = hidden ? 'Hide' : 'Show';
      });
      control = el('div', { 'class': 'with-toggle' }, [input, toggle]);
    }
    var label = el('label', { 'for': id }, [document.createTextNode(f.label)]);
    if (f.required) {
      label.appendChild(el('span', { 'class': 'req', 'aria-hidden': 'true', text: '*' }));
    }
    return el('div', { 'class': 'field', id: 'row-' + f.name, 'data-field': f.name }, [
      label,
      control,
      f.help ? el('p', { 'class': 'help', id: helpId, text: f.help }) : null,
      el('p', { 'class': 'field-error', id: errorId, hidden: 'hidden' })
    ]);
  }

  function valueOf(f) {
    var input = $('field-' + f.name);
    return f.type === 'secret' ? input.value : input.value.trim();
  }

  /** The problem with a field's value as typed, or null. */
  function problem(f) {
    var v = valueOf(f);
    if (v === '') {
      return f.required ? 'Please fill in ' + f.label + '.' : null;
    }
    if (f.type === 'number' && !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) {
      return f.label + ' must be a number, such as ' + (f.default_value || '10') + '.';
    }
    if (f.type === 'url' && !/^https?:\/\/[^\s/?#]+[^\s]*$/i.test(v)) {
      return 'Enter a web address that starts with https:// or http://.';
    }
    if (f.type === 'select' && (f.options || []).length && f.options.indexOf(v) < 0) {
      return 'Choose one of the options.';
    }
    return null;
  }

  function setFieldError(name, message) {
    var row = $('row-' + name);
    var error = $('error-' + name);
    var input = $('field-' + name);
    if (!row) { return false; }
    row.classList.toggle('invalid', !!message);
    error.hidden = !message;
    error.textContent = message || '';
    input.setAttribute('aria-invalid', message ? 'true' : 'false');
    if (message && row.parentElement === $('advanced-fields')) { $('advanced').open = true; }
    return true;
  }

  function check(f) {
    var p = problem(f);
    setFieldError(f.name, p);
    return !p;
  }

  function setBusy(busy) {
    $('submit').disabled = busy;
    $('submit').textContent = busy ? 'Connecting…' : 'Connect';
    $('form').setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  function hideError() { $('error').hidden = true; }

  function showError(title, text, detail, requestId) {
    $('error-title').textContent = title;
    $('error-text').textContent = text;
    $('error-detail').hidden = !detail;
    $('error-detail').textContent = detail ? current.name + ' said: ' + detail : '';
    $('error-ref').hidden = !requestId;
    $('error-ref').textContent = requestId ? 'Reference: ' + requestId : '';
    $('error').hidden = false;
    $('error').scrollIntoView({ block: 'nearest' });
  }

  /** Plain sentences for the API's problem codes; the source's own message is shown below them. */
  function explain(res) {
    var p = res.body || {};
    var name = current.name;
    var detail = p.detail || '';
    switch (p.code) {
      case 'credentials_rejected':
        showError('The password was rejected', name + ' did not accept these details. Check the user name and ' +
          'password (and any other details) and try again.', detail, res.requestId);
        break;
      case 'source_unavailable':
        showError('The server did not answer', name + ' could not be reached. Check the address if you entered ' +
          'one, or try again in a few minutes.', detail, res.requestId);
        break;
      case 'rate_limited':
        showError('Too many attempts', name + ' asks to slow down. Wait a minute, then try again.', detail,
          res.requestId);
        break;
      case 'source_error':
        showError(name + ' reported an error', 'It did not accept the connection. Try again, or contact your ' +
          name + ' administrator.', detail, res.requestId);
        break;
      case 'insufficient_permissions':
        showError('This account may not do that', 'The account you entered lacks the permissions needed. ' +
          'Use another account or ask your administrator.', detail, res.requestId);
        break;
      case 'connector_unavailable':
        showError(name + ' cannot be connected right now', 'Please try again later.', null, res.requestId);
        break;
      case 'insufficient_credits':
        showError('This connection cannot be added', 'The account you are connecting for has no connections ' +
          'left. Please contact the company that sent you this link.', null, res.requestId);
        break;
      case 'conflict':
        showError('Already connecting', 'Another attempt with this link is still running. Wait a moment and ' +
          'try again.', null, res.requestId);
        break;
      case 'validation_failed':
        var general = [];
        (p.errors || []).forEach(function (e) {
          var field = (e.field || '').replace(/^credentials\./, '');
          var f = (current.credential_fields || []).filter(function (x) { return x.name === field; })[0];
          if (!f || !setFieldError(field, f.label + ' ' + e.message + '.')) { general.push(e.message); }
        });
        showError('Please check the highlighted fields', general.length ? general.join('; ') :
          'Some details are missing or not in the expected form.', null, null);
        break;
      case 'token_invalid':
        linkProblem(res);
        break;
      default:
        showError('Something went wrong', res.status >= 500 ? 'The service is temporarily unavailable. ' +
          'Please try again in a few minutes.' : 'The connection could not be created.', null, res.requestId);
    }
  }

  function submit(event) {
    event.preventDefault();
    submitted = true;
    hideError();
    var credentials = {};
    var firstBad = null;
    (current.credential_fields || []).forEach(function (f) {
      if (!check(f) && !firstBad) { firstBad = f; }
      var v = valueOf(f);
      if (v !== '') { credentials[f.name] = v; }
    });
    if (firstBad) {
      $('field-' + firstBad.name).focus();
      return;
    }
    setBusy(true);
    api('POST', '/v1/connect/connections', { system: current.system, credentials: credentials })
      .then(function (res) {
        setBusy(false);
        if (res.status === 201) { done(res.body); } else { explain(res); }
      }, function () {
        setBusy(false);
        showError('The server cannot be reached', 'Check your internet connection and try again.', null, null);
      });
  }

  function done(result) {
    $('done-title').textContent = current.name + ' is connected';
    $('done-text').textContent = embedded ? 'Everything is set up.'
      : result.redirect_url ? 'Everything is set up. Taking you back…'
        : 'Everything is set up. You can close this window.';
    show('step-done');
    post({
      status: 'connected',
      connection_id: result.connection_id,
      code: result.code,
      system: result.system,
      redirect_url: result.redirect_url || null
    });
    if (result.redirect_url && !embedded) {
      location.replace(result.redirect_url);
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('form').addEventListener('submit', submit);
    $('back').addEventListener('click', listSystems);
    post({ status: 'ready' });
    load();
  });
}());
