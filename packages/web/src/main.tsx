import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';

// A holding page until the web app's own issue: it says what the product is and where
// the API lives, in Spanish by default with English.
const TEXT = {
  es: {
    title: 'AlertaUTEC',
    lead: 'Reporta incidentes en el campus y sigue su atención en tiempo real.',
    soon: 'La aplicación web está en construcción. Mientras tanto, la API está disponible.',
    docs: 'Documentación de la API',
    switch: 'English',
  },
  en: {
    title: 'AlertaUTEC',
    lead: 'Report campus incidents and follow their handling live.',
    soon: 'The web app is under construction. Meanwhile, the API is available.',
    docs: 'API documentation',
    switch: 'Español',
  },
} as const;

function App() {
  const [lang, setLang] = useState<'es' | 'en'>('es');
  const t = TEXT[lang];
  return (
    <main lang={lang === 'es' ? 'es-PE' : 'en'} style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 640, margin: '3rem auto', padding: '0 1rem', lineHeight: 1.5 }}>
      <h1>{t.title}</h1>
      <p>{t.lead}</p>
      <p>{t.soon}</p>
      <p>
        <a href="/docs">{t.docs}</a>
      </p>
      <button type="button" onClick={() => setLang(lang === 'es' ? 'en' : 'es')}>
        {t.switch}
      </button>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
