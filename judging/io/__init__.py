"""Files in and out: workbooks, certificates, evidence storage. No views here."""
