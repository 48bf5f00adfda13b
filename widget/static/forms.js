/*
 * The widget's form parts: labelled fields tied to their hints and errors, the GOV.UK error
 * summary, the character counter, and the offline, message and feedback forms. Each takes the
 * element (`ui`: its session controller, its Translator) and returns { node, update? }.
 */

import { countChars } from './book.js';
import { UI_LANGUAGES } from './i18n.js';
import { h, setText } from './dom.js';

export function topicOptions(ui) {
  return (ui.session.service?.topics || []).map((topic) => ({
    value: topic.id,
    label: topic.label?.[ui.i18n.lang] || topic.label?.fi || topic.id,
  }));
}

export function languageOptions(ui) {
  return (ui.session.service?.languages || UI_LANGUAGES).map((code) => ({
    value: code, label: ui.i18n.languageName(code),
  }));
}

/** A labelled control with an optional hint and an error line, tied by aria-describedby. */
function field(id, label, control, { hint = null, after = null } = {}) {
  const hintNode = hint ? h('p', { id: `${id}-hint`, class: 'field__hint' }, hint) : null;
  const error = h('p', { id: `${id}-error`, class: 'field__error', hidden: true });
  const described = [hintNode && `${id}-hint`, after?.id, `${id}-error`].filter(Boolean);
  control.id = id;
  control.setAttribute('aria-describedby', described.join(' '));
  const node = h('div', { class: 'field' },
    h('label', { htmlFor: id, class: 'field__label' }, label), hintNode, error, control, after);
  const setError = (prefix, message) => {
    error.replaceChildren(...(message ? [h('span', { class: 'vh' }, prefix), ' ', message] : []));
    error.hidden = !message;
    if (message) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  };
  return { node, control, hint: hintNode, setError };
}

export function selectField(id, label, options, selected, onChange) {
  const select = h('select', { class: 'field__control',
    onchange: (event) => onChange(event.target.value) },
  options.map(({ value, label: text }) => h('option', { value, selected: value === selected },
    text)));
  return field(id, label, select);
}

/**
 * "12 / 2000", or how many characters too many; the limit is /api/service's max_length. With
 * `near`, only once the text is within a tenth of the limit (where a short question has no use
 * for it, it takes no room).
 */
function counter(ui, id, { near = false } = {}) {
  const node = h('p', { id, class: 'counter' });
  const update = (text) => {
    const count = countChars(text);
    const max = ui.session.maxLength;
    const over = count - max;
    node.hidden = near && count < max * 0.9;
    setText(node, over > 0 ? ui.i18n.plural('composer.over', over)
      : ui.t('composer.count', { count, max }));
    node.classList.toggle('counter--over', over > 0);
    return over;
  };
  return { node, update };
}

/**
 * The GOV.UK error summary: a heading and one line per problem, each linking to its field.
 * The links focus the field themselves: a #fragment would neither reach into the shadow root
 * nor leave the host page's URL alone.
 */
function errorSummary(ui) {
  const node = h('div', { class: 'error-summary', tabIndex: -1, hidden: true });
  const show = (problems) => {
    node.replaceChildren();
    node.hidden = problems.length === 0;
    if (node.hidden) return;
    const items = problems.map(({ message, control }) => h('li', {}, control
      ? h('a', { href: '#', onclick: (event) => { event.preventDefault(); control.focus(); } },
        message)
      : message));
    node.append(h('h4', { class: 'subheading' }, ui.t('error.summary_title')),
      h('ul', {}, items));
    node.focus();
  };
  return { node, show };
}

export function offlineForm(ui, introKey) {
  const session = ui.session;
  const values = session.forms.offline;
  const summary = errorSummary(ui);
  const topic = selectField('offline-topic', ui.t('field.topic'), topicOptions(ui), values.topic,
    (value) => { values.topic = value; });
  const language = selectField('offline-language', ui.t('field.language'), languageOptions(ui),
    values.language, (value) => session.chooseChatLanguage(value));
  const count = counter(ui, 'offline-text-count');
  const textarea = h('textarea', { class: 'field__control', rows: 5, value: values.text,
    oninput: () => { values.text = textarea.value; count.update(textarea.value); } });
  const text = field('offline-text', ui.t('field.message'), textarea, { after: count.node });
  count.update(values.text);
  const input = h('input', { type: 'text', class: 'field__control', value: values.contact,
    oninput: () => { values.contact = input.value; } });
  const contact = field('offline-contact', ui.t('field.contact'), input,
    { hint: ui.t('field.contact_hint') });
  const submit = h('button', { type: 'submit', class: 'button' }, ui.t('offline.submit'));
  let busy = false;

  const validate = () => {
    const problems = [];
    const over = countChars(values.text.trim()) - session.maxLength;
    if (!values.text.trim()) {
      problems.push({ message: ui.t('offline.error_required'), control: textarea });
    } else if (over > 0) {
      problems.push({ message: ui.i18n.plural('composer.over', over), control: textarea });
    }
    text.setError(ui.t('error.prefix'), problems[0]?.message || null);
    return problems;
  };

  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy) return;
    const problems = validate();
    summary.show(problems);
    if (problems.length > 0) return;
    busy = true;
    setText(submit, ui.t('offline.sending'));
    const result = await session.sendOfflineMessage({ ...values, text: values.text.trim() });
    busy = false;
    setText(submit, ui.t('offline.submit'));
    if (!result.ok) summary.show([{ message: result.message || ui.t('offline.error_generic') }]);
  };

  const node = h('form', { class: 'form', noValidate: true, onsubmit: onSubmit },
    h('h4', { class: 'subheading' }, ui.t('offline.title')),
    h('p', {}, ui.t(introKey)),
    summary.node, topic.node, language.node, text.node, contact.node,
    h('p', { class: 'muted' }, ui.t('offline.privacy')),
    submit);
  return { node };
}

/**
 * The start screen's question: the draft, which becomes the chat's first line once it is queued
 * (and the message box's text after a reload before that). Enter is a new line here: Start sends.
 */
export function questionField(ui) {
  const session = ui.session;
  const count = counter(ui, 'before-question-count', { near: true });
  const textarea = h('textarea', { class: 'field__control question__input', rows: 2,
    value: session.draft,
    oninput: () => {
      session.setDraft(textarea.value);
      count.update(textarea.value);
    } });
  const question = field('before-question', ui.t('before.question'), textarea,
    { after: count.node });
  const update = () => {
    if (textarea.value !== session.draft) textarea.value = session.draft;
    count.update(textarea.value);
  };
  update();
  return { node: question.node, update };
}

/**
 * Enter sends, Shift+Enter is a new line; the text survives view changes and reloads. The hint
 * is hintKeyOf()'s, which may change (from the queue to the chat).
 */
export function composerForm(ui, hintKeyOf) {
  const session = ui.session;
  const count = counter(ui, 'composer-count');
  const textarea = h('textarea', { class: 'field__control composer__input', rows: 3,
    value: session.draft });
  const hintText = () => `${ui.t(hintKeyOf())} ${ui.t('composer.keys')}`;
  const message = field('composer', ui.t('composer.label'), textarea,
    { hint: hintText(), after: count.node });
  const send = h('button', { type: 'submit', class: 'button' }, ui.t('composer.send'));

  // The words under the box are the controller's (a refused line, a length that changed).
  let shownError = null;
  const showError = () => {
    const words = ui.i18n.say(session.composerError) || null;
    if (words === shownError) return;
    shownError = words;
    message.setError(ui.t('error.prefix'), words);
  };

  const submit = () => {
    const problem = session.sendMessage(textarea.value);
    if (!problem) {
      textarea.value = '';
      session.setDraft('');
      count.update('');
    }
    textarea.focus();
  };
  textarea.addEventListener('keydown', (event) => {
    // isComposing: Enter that confirms an IME composition is not a send.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  textarea.addEventListener('input', () => {
    session.setDraft(textarea.value);
    count.update(textarea.value);
  });
  const update = () => {
    if (textarea.value !== session.draft) textarea.value = session.draft;
    count.update(textarea.value);
    setText(message.hint, hintText());
    showError();
  };
  const node = h('form', { class: 'composer', onsubmit: (event) => {
    event.preventDefault();
    submit();
  } }, message.node, h('div', { class: 'composer__actions' }, send));
  return { node, textarea, update };
}

/**
 * Rating 1–5 as one row of five buttons: radios (arrow keys move, one Tab stop), each labelled
 * "4 of 5", drawn as buttons, with what 1 and 5 mean beneath; an optional comment, then thanks.
 */
export function feedbackForm(ui) {
  const session = ui.session;
  const values = session.forms.feedback;
  const problem = h('p', { id: 'rating-error', class: 'field__error', hidden: true });
  const radios = RATINGS.map((rating) => {
    const input = h('input', { type: 'radio', name: 'rating', id: `rating-${rating}`,
      class: 'rating__input', value: String(rating), checked: values.rating === rating,
      onchange: () => { values.rating = rating; } });
    return h('span', { class: 'rating__option' }, input,
      h('label', { htmlFor: input.id, class: 'rating__button' },
        h('span', { 'aria-hidden': 'true' }, String(rating)),
        h('span', { class: 'vh' }, ui.t('feedback.rating_of', { rating, max: RATINGS.length }))));
  });
  const scale = h('p', { id: 'rating-scale', class: 'rating__scale' },
    h('span', {}, ui.t('feedback.scale_low')), ' ', h('span', {}, ui.t('feedback.scale_high')));
  const group = h('fieldset', { class: 'rating', 'aria-describedby': 'rating-scale rating-error' },
    h('legend', { class: 'field__label' }, ui.t('feedback.legend')), problem,
    h('div', { class: 'rating__options' }, radios), scale);
  const comment = h('textarea', { class: 'field__control', rows: 3, value: values.comment,
    maxLength: session.maxLength, oninput: () => { values.comment = comment.value; } });
  const submit = h('button', { type: 'submit', class: 'button' });
  const form = h('form', { class: 'form', onsubmit: (event) => {
    event.preventDefault();
    if (!values.rating) {
      problem.replaceChildren(h('span', { class: 'vh' }, ui.t('error.prefix')), ' ',
        ui.t('feedback.required'));
      problem.hidden = false;
      radios[0].querySelector('input').focus();
      return;
    }
    problem.hidden = true;
    session.sendFeedback(values.rating, values.comment.trim() || null);
  } }, group, field('feedback-comment', ui.t('feedback.comment'), comment).node, submit);

  return answerForm(ui, form, submit, {
    saved: () => session.chat?.feedbackSaved, pending: () => session.pendingFeedback,
    words: ['feedback.submit', 'feedback.sending', 'feedback.thanks'] });
}

/**
 * A form of answers after the end (the rating, the questionnaire): its button says when they
 * are on their way; once saved, thanks take its place (and the focus, if the form had it).
 */
function answerForm(ui, form, submit, { saved, pending, words: [idle, sending, thanked] }) {
  const thanks = h('p', { class: 'success', role: 'status', tabIndex: -1 });
  const update = () => {
    const done = Boolean(saved());
    setText(submit, ui.t(pending() ? sending : idle));
    setText(thanks, done ? ui.t(thanked) : '');
    if (done && !form.hidden) {
      const hadFocus = form.contains(ui.shadowRoot.activeElement);
      form.hidden = true;
      if (hadFocus) thanks.focus();
    }
  };
  update();
  return { node: h('div', { class: 'feedback' }, form, thanks), update };
}

const RATINGS = [1, 2, 3, 4, 5];

/**
 * The coordinators' questions (/api/service `survey`), all optional: a scale as a row of five
 * like the rating, a choice as radios, a text as a textarea; one Send, then thanks.
 */
export function surveyForm(ui) {
  const session = ui.session;
  const submit = h('button', { type: 'submit', class: 'button' });
  const form = h('form', { class: 'form survey', onsubmit: (event) => {
    event.preventDefault();
    if (!session.pendingSurvey) session.sendSurvey();
  } }, h('h4', { class: 'subheading' }, ui.t('survey.title')),
  h('p', { class: 'field__hint' }, ui.t('survey.optional')),
  session.surveyQuestions.map((question) => surveyQuestion(ui, question)), submit);
  return answerForm(ui, form, submit, {
    saved: () => session.chat?.surveySaved, pending: () => session.pendingSurvey,
    words: ['survey.submit', 'survey.sending', 'survey.thanks'] });
}

function surveyQuestion(ui, question) {
  const answers = ui.session.forms.survey;
  const words = (texts) => texts?.[ui.i18n.lang] || texts?.fi || '';
  const id = `survey-${question.id}`;
  if (question.kind === 'text') {
    const box = h('textarea', { class: 'field__control', rows: 2, value: answers[question.id] || '',
      maxLength: ui.session.maxLength, oninput: () => { answers[question.id] = box.value; } });
    return field(id, words(question.text), box).node;
  }
  const scale = question.kind === 'scale';
  const choices = scale ? RATINGS.map((value) => ({ value, label: String(value),
    spoken: ui.t('feedback.rating_of', { rating: value, max: RATINGS.length }) }))
    : (question.options || []).map((option, value) => ({ value, label: words(option) }));
  const radios = choices.map(({ value, label, spoken }) => {
    const input = h('input', { type: 'radio', name: id, id: `${id}-${value}`,
      class: scale ? 'rating__input' : 'choice__input', value: String(value),
      checked: answers[question.id] === value, onchange: () => { answers[question.id] = value; } });
    const text = spoken ? [h('span', { 'aria-hidden': 'true' }, label), h('span', { class: 'vh' },
      spoken)] : [label];
    return h('span', { class: scale ? 'rating__option' : 'choice' }, input,
      h('label', { htmlFor: input.id, class: scale ? 'rating__button' : null }, text));
  });
  return h('fieldset', { class: scale ? 'rating' : 'choices' },
    h('legend', { class: 'field__label' }, words(question.text)),
    h('div', { class: scale ? 'rating__options' : 'choices__options' }, radios));
}

/**
 * "Keep on this device" beside Start: a checkbox, off until the visitor ticks it (a shared
 * computer keeps nothing of the chat); ticked, the chat survives a reload and this site's other
 * pages until the tab closes. What it means is said in the privacy line's list (`describedBy`),
 * so the start screen stays one screen high.
 */
export function keepField(ui, id, describedBy) {
  const session = ui.session;
  const label = h('label', { htmlFor: id });
  const box = h('input', { type: 'checkbox', id, class: 'choice__input', 'aria-describedby': describedBy,
    onchange: () => session.setKeepHere(box.checked) });
  const node = h('div', { class: 'choice keep' }, box, label);
  const update = () => {
    box.checked = session.keepHere;
    setText(label, ui.t('keep.label'));
  };
  update();
  return { node, update };
}
