/** One press sentence in a box, with a Copy button (clipboard, or the text selected for a manual copy). */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

export function PressBox({ lang, text, title, testId }: { lang: 'en' | 'km'; text: string; title: string; testId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const ref = useRef<HTMLParagraphElement>(null);
  const [status, setStatus] = useState<'copied' | 'selected' | null>(null);

  useEffect(() => setStatus(null), [text]);

  const selectText = () => {
    const el = ref.current;
    const sel = window.getSelection?.();
    if (!el || !sel) return false;
    const range = document.createRange();
    range.selectNodeContents(el);
    sel.removeAllRanges();
    sel.addRange(range);
    return true;
  };

  const copy = async () => {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setStatus('copied');
    } catch {
      // No clipboard access (plain http, an old browser, permission refused): select the text instead.
      let copied = false;
      if (selectText()) {
        try {
          copied = document.execCommand('copy');
        } catch {
          copied = false;
        }
      }
      setStatus(copied ? 'copied' : 'selected');
    }
  };

  return (
    <div className="press-box">
      <div className="press-box-head">
        <h3 id={`${id}-title`}>{title}</h3>
        <button type="button" className="button button--small" aria-describedby={`${id}-title`} onClick={() => void copy()}>
          {t('report.copy')}
        </button>
      </div>
      <p ref={ref} lang={lang} className="press-text" data-testid={testId}>
        {text}
      </p>
      <p className="press-status small" role="status">
        {status === 'copied' ? t('report.copied') : status === 'selected' ? t('report.selectedToCopy') : ''}
      </p>
    </div>
  );
}
