/*
 * app.js - conveniences over pages that work without it: confirm dialogs,
 * in-place saving of Statement of Applicability and audit checklist rows
 * (a saved checklist row hands the focus to the next), file upload by drag
 * and drop with progress, "add another" for repeated fieldsets, scores
 * shown as the fields they come from change, searchable pickers for long
 * multiple selects, and keyboard shortcuts. No framework, no inline script (strict CSP).
 */
(function () {
	'use strict';

	var root = document.documentElement;
	root.classList.add('js');

	function closest(el, sel) {
		return el && el.closest ? el.closest(sel) : null;
	}

	function parseHTML(text) {
		return new DOMParser().parseFromString(text, 'text/html');
	}

	function formBody(form) {
		return new URLSearchParams(new FormData(form));
	}

	/* Replaces <main> with the one in a page answered for a failed post. */
	function showPage(text) {
		var fresh = parseHTML(text).querySelector('main');
		var main = document.querySelector('main');
		if (fresh && main) {
			main.replaceWith(fresh);
			fresh.focus();
		}
	}

	/* Statement of Applicability: rows open, save and close in place. */
	function markDirty(ev) {
		var row = closest(ev.target, 'form[data-soa]');
		if (row) {
			row.classList.add('dirty');
			var msg = row.querySelector('.soa-msg');
			if (msg) { msg.textContent = ''; msg.classList.remove('error'); }
		}
	}

	/* Puts the row with the same id from a fetched page in place of row. */
	function swapRow(row, doc) {
		var fresh = doc.getElementById(row.id);
		if (!fresh) return null;
		doc.querySelectorAll('datalist').forEach(function (list) {
			if (!document.getElementById(list.id)) document.querySelector('main').append(list);
		});
		row.replaceWith(fresh);
		return fresh;
	}

	function soaRequest(row, url, init, after) {
		row.classList.add('saving');
		init.credentials = 'same-origin';
		init.headers = { 'Accept': 'text/html' };
		fetch(url, init).then(function (res) {
			return res.text().then(function (text) { return { res: res, text: text }; });
		}).then(function (r) {
			row.classList.remove('saving');
			var doc = parseHTML(r.text);
			var fresh = swapRow(row, doc);
			if (!fresh) {
				showPage(r.text);
				return;
			}
			after(fresh, r.res.ok, doc);
		}).catch(function () {
			row.classList.remove('saving');
			var msg = row.querySelector('.soa-msg');
			if (msg) { msg.classList.add('error'); msg.textContent = 'No connection'; }
		});
	}

	function soaOpen(link) {
		var row = closest(link, '.soa-row');
		soaRequest(row, link.href, { method: 'GET' }, function (fresh) {
			var first = fresh.querySelector('select, textarea, input:not([type="hidden"]), a.btn');
			if (first) first.focus();
		});
	}

	function soaSave(form) {
		var measureAsked = ['add_measure', 'new_measure'].some(function (n) {
			var el = form.elements[n];
			return el && el.value.trim() !== '';
		});
		soaRequest(form, form.action, { method: 'POST', body: formBody(form) },
		    function (fresh, ok, doc) {
			var msg = fresh.querySelector('.soa-msg');
			if (ok) {
				/*
				 * The page's own word on a measure picked or made in the row;
				 * any other row (an audit checklist's too) just says Saved.
				 */
				var flash = measureAsked ? doc.querySelector('.flash.ok') : null;
				if (msg) msg.textContent = flash ? flash.textContent : 'Saved';
				var edit = fresh.querySelector('a[data-soa-swap]');
				if (edit) edit.focus();
				/* Audit checklist: straight on to the next requirement. */
				if (fresh.hasAttribute('data-next-row')) {
					var next = fresh.nextElementSibling;
					while (next && !next.hasAttribute('data-next-row'))
						next = next.nextElementSibling;
					var field = next ? next.querySelector('textarea') : null;
					if (field) field.focus();
				}
			} else {
				if (msg) { msg.classList.add('error'); msg.textContent = 'Not saved'; }
				var bad = fresh.querySelector('[aria-invalid="true"]');
				if (bad) bad.focus();
			}
		});
	}

	/* Uploads with a progress bar; the server's redirect is followed. */
	function upload(form) {
		var bar = form.querySelector('.upload-progress');
		var button = form.querySelector('button[type="submit"]');
		var xhr = new XMLHttpRequest();
		xhr.open('POST', form.action);
		xhr.upload.addEventListener('progress', function (e) {
			if (bar && e.lengthComputable) {
				bar.hidden = false;
				bar.value = Math.round(e.loaded * 100 / e.total);
			}
		});
		xhr.addEventListener('load', function () {
			if (xhr.status >= 200 && xhr.status < 300) {
				window.location.assign(xhr.responseURL || form.action);
			} else {
				showPage(xhr.responseText);
			}
		});
		xhr.addEventListener('error', function () {
			if (button) button.disabled = false;
			if (bar) bar.hidden = true;
			window.alert('The upload failed: no connection to the server.');
		});
		if (button) button.disabled = true;
		xhr.send(new FormData(form));
	}

	document.addEventListener('submit', function (ev) {
		var form = ev.target;
		var question = (ev.submitter && ev.submitter.getAttribute('data-confirm')) ||
		    form.getAttribute('data-confirm');
		if (question && !window.confirm(question)) {
			ev.preventDefault();
			return;
		}
		if (form.hasAttribute('data-soa') && window.fetch) {
			ev.preventDefault();
			soaSave(form);
			return;
		}
		var file = form.querySelector('input[type="file"]');
		if (form.hasAttribute('data-upload') && file && file.files.length > 0) {
			ev.preventDefault();
			upload(form);
		}
	});
	document.addEventListener('input', markDirty);
	document.addEventListener('change', markDirty);

	/* Drag and drop onto the upload field. */
	function setupDropzone(zone) {
		var input = zone.querySelector('input[type="file"]');
		if (!input) return;
		['dragenter', 'dragover'].forEach(function (t) {
			zone.addEventListener(t, function (e) {
				e.preventDefault();
				zone.classList.add('over');
			});
		});
		['dragleave', 'drop'].forEach(function (t) {
			zone.addEventListener(t, function () { zone.classList.remove('over'); });
		});
		zone.addEventListener('drop', function (e) {
			e.preventDefault();
			if (e.dataTransfer && e.dataTransfer.files.length > 0) {
				input.files = e.dataTransfer.files;
				input.dispatchEvent(new Event('change', { bubbles: true }));
			}
		});
	}

	/* "Add another" for repeated fieldsets: clone the last item, renumbered. */
	function addItem(button) {
		var set = closest(button, '[data-objects]');
		var items = set ? set.querySelectorAll('fieldset.item') : [];
		if (items.length === 0) return;
		var last = items[items.length - 1];
		var n = items.length;
		var name = set.getAttribute('data-objects');
		var copy = last.cloneNode(true);
		/* A picker is drawn again over the copy's own select. */
		copy.querySelectorAll('.picker').forEach(function (p) { p.remove(); });
		var from = name + '.' + last.getAttribute('data-item') + '.';
		var to = name + '.' + n + '.';
		copy.setAttribute('data-item', String(n));
		copy.querySelectorAll('[name],[id],[for]').forEach(function (el) {
			['name', 'id', 'for'].forEach(function (a) {
				var v = el.getAttribute(a);
				if (v) el.setAttribute(a, v.split(from).join(to));
			});
			if (el.matches('input[type="checkbox"]')) el.checked = false;
			else if (el.matches('input, textarea')) el.value = '';
			else if (el.matches('select[multiple]')) el.selectedIndex = -1;
			else if (el.matches('select')) el.selectedIndex = 0;
		});
		copy.querySelectorAll('.error').forEach(function (el) { el.remove(); });
		var legend = copy.querySelector('legend');
		if (legend) legend.textContent = legend.textContent.replace(/\d+$/, String(n + 1));
		last.after(copy);
		copy.querySelectorAll('select[multiple]').forEach(function (sel) {
			var label = copy.querySelector('label[for="' + sel.id + '-filter"]');
			if (label) label.htmlFor = sel.id;
			if (sel.options.length >= PICKER_MIN) setupPicker(sel);
		});
		var first = copy.querySelector('input, select:not([hidden]), textarea');
		if (first) first.focus();
	}

	document.addEventListener('click', function (ev) {
		var b = closest(ev.target, '[data-add-item]');
		if (b) {
			ev.preventDefault();
			addItem(b);
			return;
		}
		if (closest(ev.target, '[data-soa-all]')) {
			document.querySelectorAll('.soa-pick').forEach(function (cb) { cb.checked = true; });
			return;
		}
		var swap = closest(ev.target, 'a[data-soa-swap]');
		if (swap && window.fetch && closest(swap, '.soa-row')) {
			ev.preventDefault();
			soaOpen(swap);
		}
	});

	/* Keyboard shortcuts: "/" search, "g" then a letter to go, "n" new, "e" edit. */
	var pendingG = false;
	var pendingTimer = null;

	function typing(el) {
		return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
	}

	function follow(sel) {
		var a = document.querySelector(sel);
		if (a) {
			a.click();
			return true;
		}
		return false;
	}

	document.addEventListener('keydown', function (ev) {
		if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
			var form = closest(ev.target, 'form');
			if (form) {
				ev.preventDefault();
				form.requestSubmit();
			}
			return;
		}
		if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) return;
		if (pendingG) {
			pendingG = false;
			clearTimeout(pendingTimer);
			if (follow('[data-key="' + ev.key + '"]')) ev.preventDefault();
			return;
		}
		switch (ev.key) {
		case '/':
			var search = document.querySelector('[data-search]');
			if (search) {
				ev.preventDefault();
				search.focus();
				search.select();
			}
			break;
		case 'g':
			pendingG = true;
			pendingTimer = setTimeout(function () { pendingG = false; }, 1500);
			break;
		case 'n':
		case 'e':
			if (follow('[data-shortcut="' + ev.key + '"]')) ev.preventDefault();
			break;
		case '?':
			var help = document.getElementById('shortcuts');
			if (help) {
				help.open = !help.open;
				help.querySelector('summary').focus();
			}
			break;
		}
	});

	/*
	 * A score shown as its two fields change (the risk form's likelihood
	 * and impact): looked up in the grid the server computed with the
	 * organisation's criteria, never calculated here.
	 */
	function setupScore(el) {
		var grid;
		try { grid = JSON.parse(el.getAttribute('data-grid')); } catch (e) { return; }
		var ids = el.getAttribute('data-from').split(' ');
		var a = document.getElementById(ids[0]);
		var b = document.getElementById(ids[1]);
		var output = el.querySelector('output');
		if (!a || !b || !output) return;
		function update() {
			var row = grid[parseInt(a.value, 10) - 1];
			var cell = row ? row[parseInt(b.value, 10) - 1] : null;
			output.textContent = '';
			if (!cell) {
				output.textContent = 'set both to see the score';
				return;
			}
			output.append('score ' + cell.score + ', ');
			var level = document.createElement('strong');
			level.textContent = cell.level || 'no level';
			output.append(level);
		}
		a.addEventListener('change', update);
		b.addEventListener('change', update);
		a.addEventListener('input', update);
		b.addEventListener('input', update);
	}

	/*
	 * Searchable pickers: a multiple select of many options (38 Annex A
	 * controls, a hundred AI systems) becomes a filter box over a list of
	 * checkboxes. The select stays in the form, hidden, and holds the
	 * choice; without script it is the plain select. Native checkboxes keep
	 * it usable with the keyboard and a screen reader.
	 */
	var PICKER_MIN = 9;
	var pickers = 0;

	function setupPicker(sel) {
		var label = document.querySelector('label[for="' + sel.id + '"]');
		var name = label ? label.textContent.replace(/\s*required\s*$/, '') : sel.name;
		var n = ++pickers;
		var box = document.createElement('div');
		box.className = 'picker';
		var filter = document.createElement('input');
		filter.type = 'search';
		filter.id = sel.id + '-filter';
		filter.setAttribute('aria-controls', 'picker-' + n);
		filter.setAttribute('aria-describedby', 'picker-' + n + '-count');
		filter.placeholder = 'Type to filter';
		var list = document.createElement('div');
		list.className = 'picker-list';
		list.id = 'picker-' + n;
		list.setAttribute('role', 'group');
		list.setAttribute('aria-label', name);
		var count = document.createElement('p');
		count.className = 'picker-count help';
		count.id = 'picker-' + n + '-count';
		count.setAttribute('aria-live', 'polite');
		function counted() {
			var k = sel.selectedOptions.length;
			count.textContent = k + ' of ' + sel.options.length + ' selected';
		}
		Array.prototype.forEach.call(sel.options, function (opt, i) {
			var row = document.createElement('label');
			row.className = 'picker-item';
			var cb = document.createElement('input');
			cb.type = 'checkbox';
			cb.id = 'picker-' + n + '-' + i;
			cb.checked = opt.selected;
			cb.disabled = sel.disabled;
			cb.addEventListener('change', function () {
				opt.selected = cb.checked;
				counted();
				sel.dispatchEvent(new Event('change', { bubbles: true }));
			});
			row.append(cb, ' ' + opt.textContent);
			list.append(row);
		});
		filter.addEventListener('input', function () {
			var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
			Array.prototype.forEach.call(list.children, function (row) {
				var text = row.textContent.toLowerCase();
				row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
			});
		});
		/* Enter in the filter box ticks the only option left, rather than submitting. */
		filter.addEventListener('keydown', function (ev) {
			if (ev.key !== 'Enter') return;
			ev.preventDefault();
			var shown = Array.prototype.filter.call(list.children, function (r) { return !r.hidden; });
			if (shown.length === 1) shown[0].querySelector('input').click();
		});
		if (label) label.htmlFor = filter.id;
		box.append(filter, list, count);
		sel.hidden = true;
		sel.after(box);
		counted();
	}

	function init() {
		document.querySelectorAll('select[multiple]').forEach(function (sel) {
			if (sel.options.length >= PICKER_MIN) setupPicker(sel);
		});
		document.querySelectorAll('[data-score]').forEach(setupScore);
		document.querySelectorAll('[data-dropzone]').forEach(setupDropzone);
		document.querySelectorAll('[data-add-item], [data-soa-all]').forEach(function (b) { b.hidden = false; });
		var summary = document.getElementById('errors');
		if (summary) summary.focus();
	}

	if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
	else init();
}());
