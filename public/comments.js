// Reader comments, progressive enhancement: the thread page works fully without this file
// (plain forms, POST-redirect-GET). With it, posting, replying, liking, reporting, editing and
// deleting happen in place. Never builds markup from reader text: new comments arrive as
// server-rendered (escaped) HTML; everything else uses textContent.
(() => {
  const root = document.querySelector('[data-comments]');
  if (!root || !window.fetch) return;
  const articleId = root.getAttribute('data-article-id');
  const open = root.getAttribute('data-open') === '1';
  const statusEl = root.querySelector('[data-comments-status]');
  const list = root.querySelector('[data-comment-list]');
  const countEl = root.querySelector('.comments-page__count');
  const oldestFirst = new URLSearchParams(location.search).get('sort') === 'oldest';
  const MAX = 2000;
  let session = null;
  // The page's words for what this script writes (comments-thread-view.ts), English if absent.
  let words = {};
  try {
    words = JSON.parse(root.getAttribute('data-words') || '{}');
  } catch {
    words = {};
  }
  const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
  const word = (key, fallback, values) =>
    (words[key] || fallback).replace(/\{(\w+)\}/g, (all, name) =>
      values && name in values ? (typeof values[name] === 'number' ? numbers.format(values[name]) : values[name]) : all,
    );

  const say = (message, isError) => {
    // A message from an earlier plain-form post would now be stale.
    root.querySelector('.comments-flash')?.remove();
    statusEl.textContent = message;
    statusEl.classList.toggle('comments-status--error', Boolean(isError));
  };

  const el = (tag, props, children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'text') node.textContent = v;
      else if (k === 'class') node.className = v;
      else node.setAttribute(k, v);
    }
    for (const c of children || []) node.append(c);
    return node;
  };

  const fromServer = (markup) => {
    const t = document.createElement('template');
    t.innerHTML = markup;
    return t.content;
  };

  async function api(url, body) {
    const res = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': session.csrfToken },
      body: JSON.stringify(body),
    });
    let data = {};
    try {
      data = await res.json();
    } catch {
      // An empty or non-JSON answer: reported below by status.
    }
    if (!res.ok) throw new Error(data.error || word('error', 'Something went wrong. Please try again.'));
    return data;
  }

  const setCount = (label) => {
    if (countEl && label) countEl.textContent = label;
  };

  let formSeq = 0;
  /** A comment form; `onSubmit(body, website)` returns a promise. */
  function commentForm({ label, submitLabel, initial, onSubmit, onCancel }) {
    formSeq += 1;
    const id = `comment-form-${formSeq}`;
    const textarea = el('textarea', { id, name: 'body', rows: '5', required: '', 'aria-describedby': `${id}-count` });
    textarea.value = initial || '';
    const counter = el('p', { class: 'comment-form__count', id: `${id}-count`, 'aria-live': 'polite' });
    const update = () => {
      const n = [...textarea.value].length;
      counter.textContent =
        n > MAX
          ? word('overLimit', '{count} characters: {over} over the limit of {max}.', { count: n, over: n - MAX, max: MAX })
          : word('ofMax', '{count} of {max} characters', { count: n, max: MAX });
      counter.classList.toggle('comment-form__count--over', n > MAX);
    };
    textarea.addEventListener('input', update);
    update();
    const honeypot = el('input', {
      type: 'text',
      name: 'website',
      tabindex: '-1',
      autocomplete: 'off',
      'aria-hidden': 'true',
      class: 'hp-field',
    });
    const submit = el('button', { type: 'submit', class: 'comments-button', text: submitLabel });
    const actions = el('p', { class: 'comment-form__actions' }, [submit]);
    if (onCancel) {
      const cancel = el('button', { type: 'button', class: 'comments-button comments-button--quiet', text: word('cancel', 'Cancel') });
      cancel.addEventListener('click', onCancel);
      actions.append(' ', cancel);
    }
    const error = el('p', { class: 'comment-form__error', role: 'alert' });
    const form = el('form', { class: 'comment-form', novalidate: '' }, [
      el('label', { for: id, text: label }),
      textarea,
      counter,
      honeypot,
      error,
      actions,
    ]);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.textContent = '';
      submit.disabled = true;
      try {
        await onSubmit(textarea.value, honeypot.value);
      } catch (err) {
        error.textContent = err.message;
        textarea.focus();
      } finally {
        submit.disabled = false;
      }
    });
    return { form, textarea };
  }

  function insertComment(data, threadId) {
    if (!data.html) return;
    const frag = fromServer(data.html);
    const item = frag.firstElementChild;
    if (threadId) {
      const replies = root.querySelector(`[data-thread="${CSS.escape(threadId)}"] [data-replies]`);
      if (!replies) return;
      replies.append(frag);
    } else if (oldestFirst) list.append(frag);
    else list.prepend(frag);
    root.querySelector('[data-comments-empty]')?.remove();
    const article = item && item.querySelector('article');
    if (article) {
      enhanceComment(article);
      addOwnControls(article);
      article.setAttribute('tabindex', '-1');
      article.focus();
    }
  }

  async function post(body, website, parentId) {
    const data = await api('/comments', { articleId, parentId: parentId || null, body, website });
    say(data.message || '');
    setCount(data.countLabel);
    if (data.status === 'published') insertComment(data, data.threadId);
    return data;
  }

  function showCompose() {
    const compose = root.querySelector('#compose');
    const lead = compose && compose.querySelector('.comments-compose__lead');
    if (!lead) return;
    const { form, textarea } = commentForm({
      label: word('yourCommentAs', 'Your comment (as {name})', { name: session.reader.displayName }),
      submitLabel: word('postComment', 'Post comment'),
      onSubmit: async (body, website) => {
        await post(body, website, null);
        textarea.value = '';
        textarea.dispatchEvent(new Event('input'));
      },
    });
    lead.replaceWith(form);
  }

  function openReply(commentEl, link) {
    const thread = commentEl.closest('[data-thread]');
    if (!thread || thread.querySelector(':scope > .comment-form')) return;
    const author = commentEl.querySelector('.comment__author')?.textContent || 'this comment';
    const { form, textarea } = commentForm({
      label: word('replyTo', 'Reply to {name}', { name: author }),
      submitLabel: word('postReply', 'Post reply'),
      onSubmit: async (body, website) => {
        await post(body, website, commentEl.getAttribute('data-comment-id'));
        form.remove();
      },
      onCancel: () => {
        form.remove();
        link.focus();
      },
    });
    thread.append(form);
    textarea.focus();
  }

  function openReport(commentEl, link) {
    if (commentEl.querySelector('.comment-report')) return;
    const id = `report-${commentEl.getAttribute('data-comment-id')}`;
    const input = el('input', { id, name: 'reason', maxlength: '300' });
    const send = el('button', { type: 'submit', class: 'comments-button', text: word('reportButton', 'Report comment') });
    const cancel = el('button', { type: 'button', class: 'comments-button comments-button--quiet', text: word('cancel', 'Cancel') });
    const error = el('p', { class: 'comment-form__error', role: 'alert' });
    const form = el('form', { class: 'comment-report' }, [
      el('label', { for: id, text: word('reportReason', 'What is wrong with it? (optional)') }),
      input,
      error,
      el('p', { class: 'comment-form__actions' }, [send, ' ', cancel]),
    ]);
    cancel.addEventListener('click', () => {
      form.remove();
      link.focus();
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        const data = await api(`/comments/${commentEl.getAttribute('data-comment-id')}/report`, { reason: input.value });
        form.remove();
        link.replaceWith(el('span', { class: 'comment__action comment__reported', text: word('reported', 'Reported') }));
        say(data.message);
      } catch (err) {
        error.textContent = err.message;
      }
    });
    commentEl.append(form);
    input.focus();
  }

  function likeButton(commentEl, link) {
    const id = commentEl.getAttribute('data-comment-id');
    const count = link.querySelector('.comment__likes');
    const button = el('button', { type: 'button', class: link.className, 'aria-pressed': String(session.liked.includes(id)) }, [
      ...link.childNodes,
    ]);
    button.addEventListener('click', async () => {
      const like = button.getAttribute('aria-pressed') !== 'true';
      try {
        const data = await api(`/comments/${id}/like`, { like });
        button.setAttribute('aria-pressed', String(data.liked));
        count.textContent = String(data.likeCount);
      } catch (err) {
        say(err.message, true);
      }
    });
    link.replaceWith(button);
  }

  function enhanceComment(commentEl) {
    if (!session || !session.signedIn || session.reader.banned) return;
    for (const link of commentEl.querySelectorAll('[data-action]')) {
      const action = link.getAttribute('data-action');
      if (action === 'like') likeButton(commentEl, link);
      else if (action === 'reply') link.addEventListener('click', (e) => (e.preventDefault(), openReply(commentEl, link)));
      else if (action === 'report') link.addEventListener('click', (e) => (e.preventDefault(), openReport(commentEl, link)));
    }
  }

  /** Edit and delete for the reader's own comments while the 15-minute window lasts. */
  function addOwnControls(commentEl) {
    const id = commentEl.getAttribute('data-comment-id');
    const footer = commentEl.querySelector('.comment__actions');
    if (!footer || footer.querySelector('[data-own]')) return;
    const edit = el('button', { type: 'button', class: 'comment__action', 'data-own': 'edit', text: word('edit', 'Edit') });
    const del = el('button', { type: 'button', class: 'comment__action', 'data-own': 'delete', text: word('delete', 'Delete') });
    edit.addEventListener('click', () => {
      const bodyEl = commentEl.querySelector('.comment__body');
      const { form, textarea } = commentForm({
        label: word('editTitle', 'Edit your comment'),
        submitLabel: word('saveChanges', 'Save changes'),
        initial: bodyEl.innerText.trim(),
        onSubmit: async (body) => {
          const data = await api(`/comments/${id}/edit`, { body });
          say(data.message);
          if (data.html) {
            const fresh = fromServer(data.html).firstElementChild;
            commentEl.replaceWith(fresh);
            enhanceComment(fresh);
            addOwnControls(fresh);
          } else commentEl.remove();
        },
        onCancel: () => {
          form.remove();
          bodyEl.hidden = false;
          edit.focus();
        },
      });
      bodyEl.hidden = true;
      bodyEl.after(form);
      textarea.focus();
    });
    del.addEventListener('click', () => {
      if (footer.querySelector('.comment-confirm')) return;
      const yes = el('button', { type: 'button', class: 'comments-button', text: word('yesDelete', 'Yes, delete') });
      const no = el('button', { type: 'button', class: 'comments-button comments-button--quiet', text: word('keepIt', 'Keep it') });
      const box = el('span', { class: 'comment-confirm', role: 'group', 'aria-label': word('deleteConfirm', 'Delete this comment?') }, [
        el('span', { text: `${word('deleteConfirm', 'Delete this comment?')} ` }),
        yes,
        ' ',
        no,
      ]);
      no.addEventListener('click', () => (box.remove(), del.focus()));
      yes.addEventListener('click', async () => {
        try {
          const data = await api(`/comments/${id}/delete`, {});
          setCount(data.countLabel);
          say(word('deleted', 'Your comment has been deleted.'));
          (commentEl.closest('li') || commentEl).remove();
        } catch (err) {
          say(err.message, true);
        }
      });
      footer.append(box);
      yes.focus();
    });
    footer.append(edit, del);
  }

  async function start() {
    const ids = [...root.querySelectorAll('[data-comment-id]')].slice(0, 200).map((e) => e.getAttribute('data-comment-id'));
    try {
      const res = await fetch(`/comments/session?article=${encodeURIComponent(articleId)}&ids=${ids.join(',')}`, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      if (!res.ok) return;
      session = await res.json();
    } catch {
      return;
    }
    if (!session.signedIn || !open) return;
    if (session.reader.banned) {
      const lead = root.querySelector('.comments-compose__lead');
      if (lead)
        lead.replaceWith(
          el('p', {
            class: 'comments-compose__closed',
            text: word('banned', 'Your account has been banned from commenting on this site.'),
          }),
        );
      return;
    }
    showCompose();
    for (const c of root.querySelectorAll('article[data-comment-id]')) enhanceComment(c);
    for (const own of session.editable) {
      const c = root.querySelector(`article[data-comment-id="${CSS.escape(own.id)}"]`);
      if (c) addOwnControls(c);
    }
  }

  void start();
})();
