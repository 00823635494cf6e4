import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { installValidationMessages } from './forms/validation.js';
import { startLive } from './live.js';
import './styles/base.css';
import './styles/components.css';
import './styles/report.css';
import './styles/incidents.css';
import './styles/dashboard-admin.css';
import './styles/notifications.css';
import './styles/forms.css';
import './styles/phone.css';

startLive();
installValidationMessages();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
