// The front desk's arranging page (/newsroom/fronts/:front), progressively enhanced: without
// this script every button submits the form and the server applies the step. With it, Up,
// Down, Unpin and Pin act in place (focus stays on the button, a live region says where the
// story went), stories can be dragged between lists, and the picker searches as you type.
(function () {
  'use strict';
  var form = document.querySelector('[data-front-form]');
  if (!form) return;
  var announcer = document.querySelector('[data-front-announce]');
  var say = function (text) {
    if (!announcer) return;
    announcer.textContent = '';
    window.setTimeout(function () {
      announcer.textContent = text;
    }, 30);
  };
  var listFor = function (slot) {
    return form.querySelector('.nr-pins[data-slot="' + slot + '"]');
  };
  var titleOf = function (li) {
    var t = li.querySelector('.nr-pin__title');
    return t ? t.textContent : 'Story';
  };
  var place = function (li) {
    var list = li.parentElement;
    var items = Array.prototype.slice.call(list.children);
    return { position: items.indexOf(li) + 1, count: items.length, label: list.getAttribute('data-label') };
  };
  // A story dropped or pinned into a list takes that list's field name; the lead holds one story,
  // so the one it held moves to the top of Top stories.
  var settle = function (li) {
    var list = li.parentElement;
    var slot = list.getAttribute('data-slot');
    li.querySelector('input[type="hidden"]').name = 'pins.' + slot;
    if (slot === 'lead') {
      var top = listFor('top');
      Array.prototype.slice.call(list.children).forEach(function (other) {
        if (other !== li && top) {
          top.insertBefore(other, top.firstChild);
          other.querySelector('input[type="hidden"]').name = 'pins.top';
        }
      });
    }
    refreshHints();
  };
  // "Nothing pinned" shows under empty lists only.
  var refreshHints = function () {
    form.querySelectorAll('.nr-pins').forEach(function (l) {
      var hint = l.nextElementSibling;
      if (hint && hint.classList.contains('nr-pins__empty')) hint.hidden = l.children.length > 0;
    });
  };

  form.addEventListener('click', function (event) {
    var button = event.target.closest('button');
    if (!button) return;
    var move = button.getAttribute('data-move');
    if (move) {
      event.preventDefault();
      var li = button.closest('.nr-pin');
      var list = li.parentElement;
      if (move === 'remove') {
        var next = li.nextElementSibling || li.previousElementSibling;
        var title = titleOf(li);
        li.remove();
        refreshHints();
        (next ? next.querySelector('[data-move="remove"]') : form.querySelector('[data-picker-q]')).focus();
        say(title + ' unpinned from ' + list.getAttribute('data-label') + '.');
        return;
      }
      if (move === 'up' && li.previousElementSibling) list.insertBefore(li, li.previousElementSibling);
      if (move === 'down' && li.nextElementSibling) list.insertBefore(li.nextElementSibling, li);
      button.focus();
      var where = place(li);
      say(titleOf(li) + ' is now ' + where.position + ' of ' + where.count + ' in ' + where.label + '.');
      return;
    }
    var id = button.getAttribute('data-add');
    if (id) {
      event.preventDefault();
      var target = form.querySelector('[data-picker-target]');
      var destination = listFor(target ? target.value : 'top');
      if (!destination) return;
      var existing = form.querySelector('.nr-pin[data-id="' + CSS.escape(id) + '"]');
      if (existing) existing.remove();
      var item = pinItem(id, button.getAttribute('data-headline') || id, button.getAttribute('data-meta') || '');
      destination.appendChild(item);
      settle(item);
      var at = place(item);
      say(titleOf(item) + ' pinned in ' + at.label + ', ' + at.position + ' of ' + at.count + '.');
    }
    if (button.hasAttribute('data-picker-search')) {
      event.preventDefault();
      search();
    }
  });

  function pinItem(id, headline, facts) {
    var li = document.createElement('li');
    li.className = 'nr-pin';
    li.draggable = true;
    li.setAttribute('data-id', id);
    var input = document.createElement('input');
    input.type = 'hidden';
    input.value = id;
    li.appendChild(input);
    var title = document.createElement('span');
    title.className = 'nr-pin__title';
    title.textContent = headline;
    li.appendChild(title);
    var meta = document.createElement('span');
    meta.className = 'nr-pin__meta';
    meta.textContent = facts;
    li.appendChild(document.createTextNode(' '));
    li.appendChild(meta);
    var actions = document.createElement('span');
    actions.className = 'nr-pin__actions';
    [
      ['up', 'Up', 'Move ' + headline + ' up'],
      ['down', 'Down', 'Move ' + headline + ' down'],
      ['remove', 'Unpin', 'Unpin ' + headline],
    ].forEach(function (b) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'nr-button nr-button--quiet nr-button--small';
      button.setAttribute('data-move', b[0]);
      button.setAttribute('aria-label', b[2]);
      button.textContent = b[1];
      actions.appendChild(button);
    });
    li.appendChild(document.createTextNode(' '));
    li.appendChild(actions);
    return li;
  }

  // Drag and drop between (and within) the lists.
  var dragged = null;
  form.addEventListener('dragstart', function (event) {
    var li = event.target.closest && event.target.closest('.nr-pin');
    if (!li) return;
    dragged = li;
    li.classList.add('nr-pin--dragging');
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', li.getAttribute('data-id'));
  });
  form.addEventListener('dragend', function () {
    if (dragged) dragged.classList.remove('nr-pin--dragging');
    dragged = null;
  });
  form.addEventListener('dragover', function (event) {
    var list = event.target.closest && event.target.closest('.nr-pins');
    if (!dragged || !list) return;
    event.preventDefault();
    var after = null;
    Array.prototype.slice.call(list.children).some(function (child) {
      var box = child.getBoundingClientRect();
      if (child !== dragged && event.clientY < box.top + box.height / 2) {
        after = child;
        return true;
      }
      return false;
    });
    if (after) list.insertBefore(dragged, after);
    else list.appendChild(dragged);
  });
  form.addEventListener('drop', function (event) {
    if (!dragged) return;
    event.preventDefault();
    settle(dragged);
    var where = place(dragged);
    say(titleOf(dragged) + ' is now ' + where.position + ' of ' + where.count + ' in ' + where.label + '.');
  });

  // The picker: results as you type (the Search button does the same without script).
  var q = form.querySelector('[data-picker-q]');
  var results = form.querySelector('[data-picker-results]');
  var timer = null;
  var search = function () {
    if (!q || !results) return;
    var url = form.getAttribute('data-search-url') + '?q=' + encodeURIComponent(q.value);
    fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (res) {
        return res.ok ? res.json() : { stories: [] };
      })
      .then(function (data) {
        results.textContent = '';
        data.stories.forEach(function (s) {
          var li = document.createElement('li');
          var title = document.createElement('span');
          title.className = 'nr-pin__title';
          title.textContent = s.headline;
          var meta = document.createElement('span');
          meta.className = 'nr-pin__meta';
          meta.textContent = s.sectionName + ' · ' + (s.visible ? 'live' : 'not on the site now (' + s.status + ')');
          var button = document.createElement('button');
          button.type = 'button';
          button.className = 'nr-button nr-button--quiet nr-button--small';
          button.setAttribute('data-add', s.id);
          button.setAttribute('data-headline', s.headline);
          button.setAttribute('data-meta', meta.textContent);
          button.setAttribute('aria-label', 'Pin ' + s.headline);
          button.textContent = 'Pin';
          li.appendChild(title);
          li.appendChild(document.createTextNode(' '));
          li.appendChild(meta);
          li.appendChild(document.createTextNode(' '));
          li.appendChild(button);
          results.appendChild(li);
        });
        say(data.stories.length + (data.stories.length === 1 ? ' story found.' : ' stories found.'));
      });
  };
  if (q) {
    q.addEventListener('input', function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 250);
    });
    // Enter in the search box searches rather than submitting the arrangement.
    q.addEventListener('keydown', function (event) {
      if (event.key === 'Enter') {
        event.preventDefault();
        search();
      }
    });
  }
})();
