// Unit tests run under jsdom; IndexedDB comes from fake-indexeddb (tests may replace it per case).
import 'fake-indexeddb/auto'
