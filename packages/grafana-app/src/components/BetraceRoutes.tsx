import React, { type ReactElement, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { OverviewPage } from '../pages/OverviewPage';
import { RuleEditorPage } from '../pages/RuleEditorPage';
import { RulesPage } from '../pages/RulesPage';
import { TracePage } from '../pages/TracePage';
import { ViolationsPage } from '../pages/ViolationsPage';

/** How a host frames a page: Grafana's PluginPage, or the console's header. */
export type PageFrame = (title: string, page: ReactElement) => ReactNode;

/** The pages' routes, relative to where the host mounts them (Grafana's /a/<id>/, the console's /). */
export function BetraceRoutes({ frame }: { frame: PageFrame }) {
  return (
    <Routes>
      <Route path="overview" element={frame('Overview', <OverviewPage />)} />
      <Route path="violations" element={frame('Violations', <ViolationsPage />)} />
      <Route path="traces/:traceId" element={frame('Trace', <TracePage />)} />
      <Route path="rules" element={frame('Rules', <RulesPage />)} />
      <Route path="rules/new" element={frame('Rules', <RuleEditorPage />)} />
      <Route path="rules/:id/edit" element={frame('Rules', <RuleEditorPage />)} />
      <Route path="*" element={<Navigate to="overview" replace />} />
    </Routes>
  );
}
