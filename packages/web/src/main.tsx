import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { startLive } from './live.js';
import './styles/base.css';
import './styles/components.css';
import './styles/report.css';
import './styles/incidents.css';
import './styles/dashboard-admin.css';
import './styles/notifications.css';
import './styles/phone.css';

startLive();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
