/** Campaign API calls (GET/POST/PATCH /api/campaigns), on the app's one HTTP client. */
import { request } from '../api/client';

export const PILLARS = ['enforcement', 'treatment', 'harm_reduction', 'education'] as const;
export type Pillar = (typeof PILLARS)[number];

export interface Campaign {
  id: string;
  nameEn: string;
  nameKm: string;
  startDate: string;
  endDate: string | null;
  pillars: Pillar[];
}

export interface CampaignBody {
  nameEn: string;
  nameKm: string;
  startDate: string;
  endDate: string | null;
  pillars: Pillar[];
}

export const campaignsApi = {
  list: () => request<{ items: Campaign[] }>('/api/campaigns').then((r) => r.items),
  create: (body: CampaignBody) => request<Campaign>('/api/campaigns', { method: 'POST', json: body }),
  update: (id: string, body: Partial<CampaignBody>) =>
    request<Campaign>(`/api/campaigns/${encodeURIComponent(id)}`, { method: 'PATCH', json: body }),
};
