// Media library upload enhancement: drag and drop, several files at once, per-file progress
// and errors. Without this script the plain upload form still works (one file per submit).
(function () {
  'use strict';
  var form = document.querySelector('form[data-media-upload]');
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var input = form.querySelector('input[type="file"]');
  var zone = form.querySelector('[data-media-dropzone]');
  var list = document.querySelector('[data-media-progress]');
  var tokenField = form.querySelector('input[name="_csrf"]');
  if (!input || !zone || !list || !tokenField) return;
  var token = tokenField.value;
  var maxBytes = Number(form.getAttribute('data-max-bytes')) || Infinity;
  var maxMb = form.getAttribute('data-max-mb');
  var accepted = (input.getAttribute('accept') || '').split(',');

  input.multiple = true;
  zone.hidden = false;

  function row(file) {
    var li = document.createElement('li');
    li.className = 'nr-upload';
    var name = document.createElement('span');
    name.className = 'nr-upload__name';
    name.textContent = file.name;
    var bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute('aria-label', 'Upload progress of ' + file.name);
    var status = document.createElement('span');
    status.className = 'nr-upload__status';
    status.textContent = 'Waiting…';
    li.append(name, bar, status);
    list.append(li);
    return { li: li, bar: bar, status: status };
  }

  function fail(r, message) {
    r.li.classList.add('nr-upload--failed');
    r.bar.remove();
    r.status.textContent = message;
  }

  // One request per file, one after another (a newsroom laptop on hotel Wi-Fi).
  function upload(file, r) {
    return new Promise(function (resolve) {
      if (accepted.indexOf(file.type) === -1) {
        fail(r, 'Not a JPEG, PNG, WebP or AVIF image.');
        return resolve(null);
      }
      if (file.size > maxBytes) {
        fail(r, 'Too large: images can be at most ' + maxMb + ' MB.');
        return resolve(null);
      }
      var data = new FormData();
      data.append('_csrf', token);
      data.append('file', file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('accept', 'application/json');
      xhr.setRequestHeader('x-csrf-token', token);
      xhr.upload.addEventListener('progress', function (e) {
        if (e.lengthComputable) r.bar.value = Math.round((e.loaded / e.total) * 100);
        r.status.textContent = 'Uploading…';
      });
      xhr.addEventListener('load', function () {
        var body = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch (_) {
          /* not JSON: an HTML error page */
        }
        if (xhr.status === 201 && body && body.image) {
          r.bar.value = 100;
          r.li.classList.add('nr-upload--done');
          r.status.textContent = '';
          var link = document.createElement('a');
          link.href = '/newsroom/media/' + body.image.id;
          link.textContent = 'Uploaded: check the description';
          r.status.append(link);
          return resolve(body.image);
        }
        fail(
          r,
          (body && body.error && body.error.message) ||
            (xhr.status === 403 ? 'Refused: reload the page and try again.' : 'Upload failed (' + xhr.status + ').'),
        );
        resolve(null);
      });
      xhr.addEventListener('error', function () {
        fail(r, 'The connection failed. Check your network and try again.');
        resolve(null);
      });
      xhr.send(data);
    });
  }

  function uploadAll(files) {
    if (!files.length) return;
    var rows = files.map(row);
    var done = [];
    var chain = Promise.resolve();
    files.forEach(function (file, i) {
      chain = chain.then(function () {
        return upload(file, rows[i]).then(function (image) {
          if (image) done.push(image);
        });
      });
    });
    chain.then(function () {
      // A single successful photo goes straight to its description, like the plain form.
      if (files.length === 1 && done.length === 1) window.location.assign('/newsroom/media/' + done[0].id);
    });
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var files = Array.prototype.slice.call(input.files || []);
    input.value = '';
    uploadAll(files);
  });

  ['dragenter', 'dragover'].forEach(function (type) {
    zone.addEventListener(type, function (e) {
      e.preventDefault();
      zone.classList.add('nr-dropzone--over');
    });
  });
  ['dragleave', 'dragend'].forEach(function (type) {
    zone.addEventListener(type, function () {
      zone.classList.remove('nr-dropzone--over');
    });
  });
  // A photo dropped beside the zone would otherwise replace the page with the image.
  ['dragover', 'drop'].forEach(function (type) {
    document.addEventListener(type, function (e) {
      if (!zone.contains(e.target)) e.preventDefault();
    });
  });
  zone.addEventListener('drop', function (e) {
    e.preventDefault();
    zone.classList.remove('nr-dropzone--over');
    var files = e.dataTransfer ? Array.prototype.slice.call(e.dataTransfer.files) : [];
    uploadAll(files);
  });
})();
