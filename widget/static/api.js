/* The widget's HTTP side, all on the origin its script came from. */

export class ServerApi {
  constructor(origin, fetchImpl = (...args) => globalThis.fetch(...args)) {
    this.origin = origin;
    this.fetch = fetchImpl;
  }

  get socketUrl() {
    return `${this.origin.replace(/^http/, 'ws')}/ws/visitor`;
  }

  get stylesheetUrl() {
    return `${this.origin}/widget/widget.css`;
  }

  service() {
    return this.getJson('/api/service', 'no-store');
  }

  catalog(lang) {
    return this.getJson(`/widget/i18n/${lang}.json`, 'default');
  }

  /** POST /api/offline-messages; resolves to { ok, message } where message is the 4xx reason. */
  async sendOfflineMessage(body) {
    const response = await this.fetch(`${this.origin}/api/offline-messages`, {
      method: 'POST',
      credentials: 'omit',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
    const payload = await response.json().catch(() => ({}));
    return { ok: response.ok, status: response.status, message: payload.message || null };
  }

  // credentials: 'omit' — the visitor is anonymous; no cookie of the server's is wanted.
  async getJson(path, cache) {
    const response = await this.fetch(this.origin + path, {
      credentials: 'omit', cache, headers: { Accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    return response.json();
  }
}
