import React from 'react';
import { createRoot } from 'react-dom/client';
import { ConsoleApp } from './ConsoleApp';

// @grafana/ui fetches icons from <public path>build/img/icons; the console build copies them to /.
(window as unknown as { __grafana_public_path__: string }).__grafana_public_path__ = '/';

const root = document.getElementById('root');
if (root === null) {
  throw new Error('index.html has no #root element');
}
createRoot(root).render(<ConsoleApp />);
