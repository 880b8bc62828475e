// bench/web-pages.mjs - the web pages bench/web.mjs and bench/web-ab.mjs time:
// one of every kind of page of a bench/gen organisation (the dashboard, every
// list its navigation links, records, forms, the Statement of Applicability,
// readiness, coverage, the audit pack, My work, the calendar, search,
// administration and the portfolio). The lists are read from the dashboard's
// navigation, so a kind added later is timed without a change here.

// [name, path] of every page; html: the dashboard as the signed-in person sees it.
export function webPages(org, email, html) {
  const o = `/o/${org}`;
  const nav = [...new Set([...html.matchAll(new RegExp(`href="${o}/([a-z-]+)"`, 'g'))]
    .map((m) => m[1]))].sort();
  return [
    ['dashboard', `${o}/`],
    ['Statement of Applicability', `${o}/soa`],
    ['SoA with a row open for editing', `${o}/soa?edit=A.6.2.4`],
    ['SoA versions and the changes since', `${o}/soa/versions`],
    ['SoA entry', `${o}/soa/A.6.2.4`],
    ['readiness', `${o}/readiness`],
    ['coverage (EU AI Act)', `${o}/coverage`],
    ['AI roles', `${o}/ai-roles`],
    ['competence gaps', `${o}/competence-gaps`],
    ['audit pack (the ledger)', `${o}/pack`],
    ['My work', `${o}/my-work`],
    ['my audits', `${o}/my-audits`],
    ['calendar', `${o}/calendar`],
    ['notifications', `${o}/notifications`],
    ...nav.filter((k) => !['soa', 'readiness', 'coverage', 'ai-roles', 'competence-gaps', 'pack',
      'my-work', 'my-audits', 'calendar', 'notifications', 'members', 'settings', 'tokens',
      'webhooks', 'search'].includes(k)).map((k) => [`list: ${k}`, `${o}/${k}`]),
    ['risks list sorted by inherent score', `${o}/risks?sort=-inherent_score`],
    ['risks list filtered by owner', `${o}/risks?owner=${encodeURIComponent(email)}`],
    ['risks list, a heat-map cell (likelihood and impact)', `${o}/risks?likelihood=4&impact=5`],
    ['risks list, search', `${o}/risks?q=drift`],
    ['risks list, 100 rows a page', `${o}/risks?limit=100`],
    ['risk', `${o}/risks/RISK-4242`],
    ['risk edit form', `${o}/risks/RISK-4242/edit`],
    ['new risk form', `${o}/risks/new`],
    ['AI system', `${o}/ai-systems/AIS-42`],
    ['AI system edit form', `${o}/ai-systems/AIS-42/edit`],
    ['AI system: EU AI Act', `${o}/ai-systems/AIS-42/eu-ai-act`],
    ['AI system: import', `${o}/ai-systems/AIS-42/import`],
    ['evidence', `${o}/evidence/EV-4242`],
    ['new evidence form', `${o}/evidence/new`],
    ['measure', `${o}/measures/MEA-42`],
    ['risk criteria', `${o}/risk-criteria/CRITERIA`],
    ['search across every kind: a word', `${o}/search?q=drift`],
    ['search: a word most records hold', `${o}/search?q=evidence`],
    ['search: two words, the last one begun', `${o}/search?q=model%20dr`],
    ['search: the start of a common word', `${o}/search?q=evi`],
    ['members (with invitations)', `${o}/members`],
    ['settings', `${o}/settings`],
    ['API tokens', `${o}/tokens`],
    ['webhooks', `${o}/webhooks`],
    ['account (sessions)', '/account'],
    ['new organisation form', '/orgs/new'],
    ['portfolio (readiness of each organisation)', '/portfolio'],
  ];
}
