/*
 * What the widget keeps in the browser: one JSON record per server origin in sessionStorage.
 *
 * sessionStorage is per tab and gone when the tab closes, which suits an anonymous chat. The key
 * names the server origin, so two Neuvo services embedded on one site never mix. Storage that
 * throws (disabled, private modes, quota) degrades to nothing kept: the chat still works, it
 * just does not survive a reload.
 */

const STORE_VERSION = 1;

export class SessionStore {
  constructor(storage, origin) {
    this.storage = storage;
    this.key = `neuvo-chat:v${STORE_VERSION}:${origin}`;
  }

  load() {
    try {
      const record = JSON.parse(this.storage?.getItem(this.key) || 'null');
      return record && record.version === STORE_VERSION ? record : {};
    } catch (error) {
      console.warn('neuvo-chat: stored state unreadable, starting afresh', error);
      return {};
    }
  }

  save(record) {
    try {
      this.storage?.setItem(this.key, JSON.stringify({ version: STORE_VERSION, ...record }));
    } catch (error) {
      console.warn('neuvo-chat: could not keep the chat in sessionStorage', error);
    }
  }

  /** Nothing kept: the record is gone (quick exit). */
  clear() {
    try {
      this.storage?.removeItem(this.key);
    } catch (error) {
      console.warn('neuvo-chat: could not remove the chat from sessionStorage', error);
    }
  }
}

/** The page's sessionStorage, or null where the getter itself throws (storage disabled). */
export function sessionStorageOf(win) {
  try {
    return win.sessionStorage;
  } catch {
    return null;
  }
}
