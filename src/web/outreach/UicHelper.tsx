/**
 * The UIC helper: mother's and father's first names (Khmer script or Latin letters), sex and birth date →
 * the UIC, live (src/core/uic.ts).
 *
 * THE NAMES NEVER LEAVE THIS COMPONENT. They are kept in its own state only — not in a parent's state, not in
 * the URL, not in storage, not in a log — and only the computed UIC is handed out (onUic). The inputs have no
 * `name` attribute and autocomplete off, so the browser does not remember them either. The parent remounts this
 * component (a new `key`) after saving, and leaving the page unmounts it: the names are gone.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { computeUic } from '../../core/uic';
import { CLIENT_SEXES, type ClientSex } from '../offline/types';
import { SelectField } from '../ui/Field';
import { parseCount, type BirthParts } from './records';
import { ChoiceTiles, useFmt } from './ui';

export interface UicHelperProps {
  format: string;
  sex: ClientSex | '';
  birth: BirthParts;
  onSex: (s: ClientSex) => void;
  onBirth: (b: BirthParts) => void;
  onUic: (uic: string) => void;
  errors?: { sex?: string; birthYear?: string };
}

export function UicHelper({ format, sex, birth, onSex, onBirth, onUic, errors = {} }: UicHelperProps) {
  const { t } = useTranslation();
  const { num } = useFmt();
  const [mother, setMother] = useState('');
  const [father, setFather] = useState('');
  const mid = useId();
  const fid = useId();
  const yid = useId();

  const year = parseCount(birth.year);
  const uic = computeUic(
    {
      motherName: mother,
      fatherName: father,
      sex: sex || null,
      birthYear: year && year >= 1000 ? year : null,
      birthMonth: birth.month ? Number(birth.month) : null,
      birthDay: birth.day ? Number(birth.day) : null,
    },
    format,
  );
  useEffect(() => onUic(uic), [uic, onUic]);

  return (
    <div className="ow-uic-helper">
      <div className="field">
        <label htmlFor={mid}>{t('outreach.uic.mother')}</label>
        <input
          id={mid}
          data-testid="mother-name"
          type="text"
          autoComplete="off"
          autoCorrect="off"
          autoCapitalize="characters"
          spellCheck={false}
          value={mother}
          onChange={(e) => setMother(e.target.value)}
          aria-describedby={`${mid}-hint`}
        />
        <p className="hint" id={`${mid}-hint`}>
          {t('outreach.uic.nameHint')}
        </p>
      </div>
      <div className="field">
        <label htmlFor={fid}>{t('outreach.uic.father')}</label>
        <input
          id={fid}
          data-testid="father-name"
          type="text"
          autoComplete="off"
          autoCorrect="off"
          autoCapitalize="characters"
          spellCheck={false}
          value={father}
          onChange={(e) => setFather(e.target.value)}
        />
      </div>
      <ChoiceTiles
        legend={t('outreach.client.sex')}
        name="ow-sex"
        options={CLIENT_SEXES}
        value={sex}
        onChange={onSex}
        label={(s) => t(`outreach.sexes.${s}`)}
        error={errors.sex}
      />
      <fieldset className="case-fieldset">
        <legend>{t('outreach.uic.birth')}</legend>
        <p className="hint">{t('outreach.uic.birthHint')}</p>
        <div className="ow-birth">
          <div className={`field${errors.birthYear ? ' field--error' : ''}`}>
            <label htmlFor={yid}>{t('outreach.uic.year')}</label>
            <input
              id={yid}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              maxLength={4}
              placeholder={t('outreach.uic.unknown')}
              value={birth.year}
              onChange={(e) => onBirth({ ...birth, year: e.target.value })}
              aria-invalid={errors.birthYear ? true : undefined}
              aria-describedby={errors.birthYear ? `${yid}-err` : undefined}
            />
            {errors.birthYear && (
              <p className="field-error" id={`${yid}-err`} role="alert">
                {errors.birthYear}
              </p>
            )}
          </div>
          <SelectField label={t('outreach.uic.month')} value={birth.month} onChange={(e) => onBirth({ ...birth, month: e.target.value })}>
            <option value="">{t('outreach.uic.unknown')}</option>
            {Array.from({ length: 12 }, (_, i) => (
              <option key={i} value={String(i + 1)}>
                {num(i + 1)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('outreach.uic.day')} value={birth.day} onChange={(e) => onBirth({ ...birth, day: e.target.value })}>
            <option value="">{t('outreach.uic.unknown')}</option>
            {Array.from({ length: 31 }, (_, i) => (
              <option key={i} value={String(i + 1)}>
                {num(i + 1)}
              </option>
            ))}
          </SelectField>
        </div>
      </fieldset>
      <p className="ow-uic" aria-live="polite">
        <span>{t('outreach.uic.computed')}</span> <output className="ow-uic-value mono" data-testid="uic-value">{uic}</output>
      </p>
    </div>
  );
}
