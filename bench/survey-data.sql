-- Generates an open survey of 20 questions with conditional paths and :responses responses to
-- it, directly in the `surveys` schema, as survey-service stores them (a response row with its
-- profile, one answer row per answered question, chosen option, ranked option or matrix row,
-- `first_of_answer` on one row of each answered question). A realistic mix: most people answer
-- online, the Nord and the Pas-de-Calais answer most, some leave profile questions blank, two
-- questions show only on some paths.
--
--   psql -v survey=<uuid> -v responses=1000000 -f bench/survey-data.sql
\set ON_ERROR_STOP on
SET search_path = surveys;

INSERT INTO surveys (id, status, title, definition, opens_at, closes_at, question_count, created_by, created_by_name, updated_by_name, published_at)
VALUES (:'survey', 'open', 'Banc d''essai : se déplacer en Hauts-de-France', $definition$
{"title": "Banc d'essai : se déplacer en Hauts-de-France", "introduction": "Vingt questions sur vos trajets.",
 "purpose": "Mesurer le calcul des résultats sur un million de réponses.", "audience": "signed_in", "resultsVisibility": "after_closing",
 "opensAt": "2026-01-01T00:00:00.000Z", "closesAt": "2036-01-01T00:00:00.000Z",
 "sections": [
  {"id": "trajets", "title": "Vos trajets", "questions": [
   {"id": "mode", "prompt": "Comment allez-vous au travail ?", "required": true, "type": "single_choice", "allowsOther": true,
    "options": [{"id": "train", "label": "Train"}, {"id": "bus", "label": "Bus"}, {"id": "voiture", "label": "Voiture"}, {"id": "velo", "label": "Vélo"}]},
   {"id": "pourquoi", "prompt": "Pourquoi la voiture ?", "required": false, "type": "short_text", "maximumLength": 200,
    "condition": {"op": "equals", "question": "mode", "value": "voiture"}},
   {"id": "freins", "prompt": "Qu'est-ce qui vous gêne ?", "required": false, "type": "multiple_choice", "allowsOther": false,
    "options": [{"id": "prix", "label": "Le prix"}, {"id": "temps", "label": "Le temps"}, {"id": "confort", "label": "Le confort"},
                {"id": "securite", "label": "La sécurité"}, {"id": "horaires", "label": "Les horaires"}]},
   {"id": "satisfaction", "prompt": "Êtes-vous satisfait ?", "required": false, "type": "scale", "minimum": 1, "maximum": 5,
    "minimumLabel": "Pas du tout", "maximumLabel": "Tout à fait"},
   {"id": "recommandation", "prompt": "Le recommanderiez-vous ?", "required": false, "type": "scale", "minimum": 0, "maximum": 10,
    "minimumLabel": "Jamais", "maximumLabel": "Certainement"},
   {"id": "km", "prompt": "Combien de kilomètres par jour ?", "required": false, "type": "number", "minimum": 0, "maximum": 200, "unit": "km", "wholeNumber": true},
   {"id": "priorites", "prompt": "Classez vos priorités", "required": false, "type": "ranking", "rankedCount": 3,
    "options": [{"id": "securite", "label": "Sécurité"}, {"id": "frequence", "label": "Fréquence"}, {"id": "prix", "label": "Prix"}, {"id": "confort", "label": "Confort"}]},
   {"id": "qualite", "prompt": "Notez la qualité", "required": false, "type": "matrix",
    "rows": [{"id": "proprete", "label": "Propreté"}, {"id": "ponctualite", "label": "Ponctualité"}, {"id": "accueil", "label": "Accueil"}, {"id": "information", "label": "Information"}],
    "scale": {"minimum": 1, "maximum": 5, "minimumLabel": "Mauvaise", "maximumLabel": "Excellente"}},
   {"id": "depuis", "prompt": "Depuis quand faites-vous ce trajet ?", "required": false, "type": "date", "earliest": "1950-01-01"},
   {"id": "lieu_travail", "prompt": "Dans quel département travaillez-vous ?", "required": false, "type": "place", "level": "departement"},
   {"id": "abonnement", "prompt": "Avez-vous un abonnement ?", "required": false, "type": "single_choice", "allowsOther": false,
    "options": [{"id": "oui", "label": "Oui"}, {"id": "non", "label": "Non"}]}
  ]},
  {"id": "abonnes", "title": "Votre abonnement", "condition": {"op": "equals", "question": "abonnement", "value": "oui"}, "questions": [
   {"id": "usage", "prompt": "L'utilisez-vous chaque jour ?", "required": false, "type": "scale", "minimum": 1, "maximum": 5,
    "minimumLabel": "Jamais", "maximumLabel": "Chaque jour"},
   {"id": "budget", "prompt": "Combien coûte-t-il par mois ?", "required": false, "type": "number", "minimum": 0, "maximum": 300, "unit": "€", "wholeNumber": false}
  ]},
  {"id": "avenir", "title": "Demain", "questions": [
   {"id": "attentes", "prompt": "Qu'attendez-vous ?", "required": false, "type": "multiple_choice", "allowsOther": false,
    "options": [{"id": "frequence", "label": "Plus de trains"}, {"id": "prix", "label": "Des prix plus bas"}, {"id": "pistes", "label": "Des pistes cyclables"}, {"id": "parkings", "label": "Des parkings"}]},
   {"id": "suggestions", "prompt": "Vos suggestions", "required": false, "type": "long_text", "maximumLength": 2000},
   {"id": "frequence", "prompt": "À quelle fréquence voyagez-vous ?", "required": false, "type": "single_choice", "allowsOther": false,
    "options": [{"id": "quotidien", "label": "Chaque jour"}, {"id": "hebdo", "label": "Chaque semaine"}, {"id": "rare", "label": "Rarement"}]},
   {"id": "confiance", "prompt": "Faites-vous confiance aux transports ?", "required": false, "type": "scale", "minimum": 1, "maximum": 5,
    "minimumLabel": "Pas du tout", "maximumLabel": "Tout à fait"},
   {"id": "minutes", "prompt": "Combien de minutes dure votre trajet ?", "required": false, "type": "number", "minimum": 0, "maximum": 180, "unit": "min", "wholeNumber": true},
   {"id": "services", "prompt": "Notez les services", "required": false, "type": "matrix",
    "rows": [{"id": "wifi", "label": "Wi-Fi"}, {"id": "velos", "label": "Places vélo"}, {"id": "accessibilite", "label": "Accessibilité"}],
    "scale": {"minimum": 0, "maximum": 10, "minimumLabel": "Nul", "maximumLabel": "Parfait"}},
   {"id": "commune", "prompt": "Votre commune", "required": false, "type": "place", "level": "commune"}
  ]}
 ]}
$definition$::jsonb, now() - interval '30 days', now() + interval '3650 days', 20, gen_random_uuid(), 'Banc d''essai', 'Banc d''essai', now() - interval '30 days');

-- What each response drew, so that conditions and `first_of_answer` stay consistent.
CREATE TEMP TABLE draws AS
SELECT gen_random_uuid() AS id,
       (ARRAY['web', 'web', 'web', 'web', 'paper', 'in_person'])[1 + floor(random() * 6)::int] AS channel,
       (ARRAY['02', '59', '59', '59', '60', '62', '62', '80', 'outside_region'])[1 + floor(random() * 9)::int] AS departement,
       CASE WHEN random() < 0.9 THEN (ARRAY['under_18', '18_24', '25_34', '35_49', '50_64', '65_plus'])[1 + floor(random() * 6)::int] END AS age_band,
       CASE WHEN random() < 0.8 THEN (ARRAY['student', 'employed', 'self_employed', 'job_seeker', 'retired', 'other'])[1 + floor(random() * 6)::int] END AS occupation,
       CASE WHEN random() < 0.7 THEN (ARRAY['member', 'not_member'])[1 + floor(random() * 2)::int] END AS association,
       now() - random() * interval '30 days' AS submitted_at,
       CASE WHEN random() < 0.97 THEN (ARRAY['train', 'bus', 'voiture', 'voiture', 'velo'])[1 + floor(random() * 5)::int] END AS mode,
       1 + floor(random() * 31)::int AS freins,
       1 + floor(random() * 15)::int AS attentes,
       CASE WHEN random() < 0.9 THEN (ARRAY['securite,frequence,prix', 'prix,securite,confort', 'frequence,prix,securite', 'confort,frequence,prix', 'prix,confort,frequence', 'securite,prix,frequence'])[1 + floor(random() * 6)::int] END AS priorites,
       CASE WHEN random() < 0.4 THEN 'oui' ELSE 'non' END AS abonnement
FROM generate_series(1, :responses)
ORDER BY 1;

INSERT INTO responses (id, survey_id, account_id, channel, departement, age_band, occupation, association, entered_by, entered_by_name, submitted_at, recorded_at)
SELECT id, :'survey', CASE WHEN channel = 'web' THEN gen_random_uuid() END, channel, departement, age_band, occupation, association,
       CASE WHEN channel <> 'web' THEN '00000000-0000-4000-8000-00000000bec4'::uuid END, CASE WHEN channel <> 'web' THEN 'Banc d''essai' END,
       submitted_at, submitted_at
FROM draws;

INSERT INTO answers (response_id, survey_id, question_id, kind, value, number, text, day, text_id, first_of_answer,
                     channel, departement, age_band, occupation, association)
SELECT d.id, :'survey', a.question_id, a.kind, a.value, a.number, a.text, a.day, CASE WHEN a.text IS NOT NULL THEN gen_random_uuid() END, a.first,
       d.channel, d.departement, d.age_band, d.occupation, d.association
FROM draws d
CROSS JOIN LATERAL (
    SELECT 'mode', 'option', d.mode, NULL::float8, NULL::text, NULL::date, true WHERE d.mode IS NOT NULL
    UNION ALL SELECT 'mode', 'other', '*other', NULL, 'À pied', NULL, true WHERE d.mode IS NULL
    UNION ALL SELECT 'pourquoi', 'text', '', NULL, 'Pas de bus à mon heure', NULL, true WHERE d.mode = 'voiture' AND random() < 0.5
    UNION ALL SELECT 'freins', 'option', o.id, NULL, NULL, NULL, o.bit = (d.freins & -d.freins)
        FROM (VALUES ('prix', 1), ('temps', 2), ('confort', 4), ('securite', 8), ('horaires', 16)) o(id, bit) WHERE d.freins & o.bit <> 0
    UNION ALL SELECT 'satisfaction', 'point', p::text, p, NULL, NULL, true FROM (SELECT 1 + floor(random() * 5)::int) s(p) WHERE random() < 0.95
    UNION ALL SELECT 'recommandation', 'point', p::text, p, NULL, NULL, true FROM (SELECT floor(random() * 11)::int) s(p) WHERE random() < 0.9
    UNION ALL SELECT 'km', 'number', '', round(random() * random() * 200)::float8, NULL, NULL, true WHERE random() < 0.9
    UNION ALL SELECT 'priorites', 'rank', r.id, r.position, NULL, NULL, r.position = 1
        FROM unnest(string_to_array(d.priorites, ',')) WITH ORDINALITY r(id, position)
    UNION ALL SELECT 'qualite', 'row', q.id, 1 + floor(random() * 5)::int, NULL, NULL, q.id = 'proprete'
        FROM (VALUES ('proprete'), ('ponctualite'), ('accueil'), ('information')) q(id)
    UNION ALL SELECT 'depuis', 'date', '', NULL, NULL, date '2000-01-01' + floor(random() * 9000)::int, true WHERE random() < 0.7
    UNION ALL SELECT 'lieu_travail', 'place', d.departement, NULL, NULL, NULL, true WHERE d.departement <> 'outside_region'
    UNION ALL SELECT 'abonnement', 'option', d.abonnement, NULL, NULL, NULL, true
    UNION ALL SELECT 'usage', 'point', p::text, p, NULL, NULL, true FROM (SELECT 1 + floor(random() * 5)::int) s(p) WHERE d.abonnement = 'oui'
    UNION ALL SELECT 'budget', 'number', '', round(20 + random() * 80)::float8, NULL, NULL, true WHERE d.abonnement = 'oui'
    UNION ALL SELECT 'attentes', 'option', o.id, NULL, NULL, NULL, o.bit = (d.attentes & -d.attentes)
        FROM (VALUES ('frequence', 1), ('prix', 2), ('pistes', 4), ('parkings', 8)) o(id, bit) WHERE d.attentes & o.bit <> 0
    UNION ALL SELECT 'suggestions', 'text', '', NULL, 'Plus de trains le soir, et des quais accessibles.', NULL, true WHERE random() < 0.1
    UNION ALL SELECT 'frequence', 'option', (ARRAY['quotidien', 'hebdo', 'rare'])[1 + floor(random() * 3)::int], NULL, NULL, NULL, true
    UNION ALL SELECT 'confiance', 'point', p::text, p, NULL, NULL, true FROM (SELECT 1 + floor(random() * 5)::int) s(p)
    UNION ALL SELECT 'minutes', 'number', '', 5 * floor(1 + random() * 24), NULL, NULL, true WHERE random() < 0.8
    UNION ALL SELECT 'services', 'row', s.id, floor(random() * 11)::int, NULL, NULL, s.id = 'wifi'
        FROM (VALUES ('wifi'), ('velos'), ('accessibilite')) s(id)
    UNION ALL SELECT 'commune', 'place', (ARRAY['59350', '62041', '80021', '02691', '60057', '59183', '62193'])[1 + floor(random() * 7)::int], NULL, NULL, NULL, true
) a(question_id, kind, value, number, text, day, first)
ORDER BY d.id;

DROP TABLE draws;
ANALYZE responses;
ANALYZE answers;
