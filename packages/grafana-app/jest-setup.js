// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// jsdom has no ResizeObserver or IntersectionObserver; @grafana/ui's Drawer and texts use them.
class NoObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
global.ResizeObserver ??= NoObserver;
global.IntersectionObserver ??= NoObserver;
