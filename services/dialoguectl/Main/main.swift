import DialogueCtl

await DialogueCtl.runFromCommandLine()
