#!/usr/bin/env bash
# Run by .github/workflows/liens.yml: « fiches liens », then ONE issue listing
# the dead links (opened, updated, or closed when none is left), and the job
# summary. Needs GH_TOKEN with « issues: write »; without it (or with issues
# turned off), the job summary alone carries the list.
set -u
TITLE="Liens morts dans les fiches"
REPORT="$(mktemp)"
SUMMARY="${GITHUB_STEP_SUMMARY:-/dev/stdout}"

code=0
.venv/bin/fiches liens --rapport "$REPORT" || code=$?
cat "$REPORT" >> "$SUMMARY"

if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then
  # 3: no network on the runner, nothing was judged; anything else: the check itself failed.
  echo "La vérification n'a pas pu se faire (code $code) : le ticket n'est pas modifié." >> "$SUMMARY"
  exit "$code"
fi

existing="$(gh issue list --state open --search "in:title \"$TITLE\"" --json number,title \
  --jq ".[] | select(.title == \"$TITLE\") | .number" 2>/dev/null | head -n 1)" || existing=""
body="$(mktemp)"
{
  cat "$REPORT"
  echo
  echo "Ticket tenu à jour par le processus « Liens des fiches » (.github/workflows/liens.yml) : corrigez ou retirez chaque lien dans la fiche et la ligne indiquées."
} > "$body"

if [ "$code" -eq 1 ]; then
  if [ -n "$existing" ]; then
    gh issue edit "$existing" --body-file "$body" && echo "Ticket n° $existing mis à jour." >> "$SUMMARY" \
      || echo "Impossible de mettre à jour le ticket : la liste ci-dessus fait foi." >> "$SUMMARY"
  else
    gh issue create --title "$TITLE" --body-file "$body" >> "$SUMMARY" \
      || echo "Impossible d'ouvrir un ticket (tickets désactivés ou droits insuffisants) : la liste ci-dessus fait foi." >> "$SUMMARY"
  fi
  exit 1  # a dead link makes the run fail, so that it shows
fi

if [ -n "$existing" ]; then
  gh issue close "$existing" --comment "Plus aucun lien mort à la vérification du $(date -u +%Y-%m-%d)." \
    && echo "Ticket n° $existing fermé : plus aucun lien mort." >> "$SUMMARY" || true
fi
exit 0
