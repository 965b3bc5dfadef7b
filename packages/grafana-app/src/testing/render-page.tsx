import React, { type ReactElement } from 'react';
import { render, type RenderResult } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { HostProvider } from '../api/api-context';
import type { BetraceApi } from '../api/client';

/** Renders a page as the console would, at `path` matched by `route`. */
export function renderPage(page: ReactElement, api: BetraceApi, options: { path?: string; route?: string; host?: 'grafana' | 'console' } = {}): RenderResult {
  return render(
    <HostProvider value={{ api, basePath: '', host: options.host ?? 'console', tempoDatasourceUid: 'tempo-uid' }}>
      <MemoryRouter initialEntries={[options.path ?? '/']}>
        <Routes>
          <Route path={options.route ?? '*'} element={page} />
        </Routes>
      </MemoryRouter>
    </HostProvider>
  );
}
