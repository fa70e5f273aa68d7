"""Ad-hoc data requests (Loire art. 3: partners answer « dans les meilleurs délais » any request for specific
data): the referent asks one or several partners for data with a message and a deadline, and a table spec
whose workbook the engine checks, or a free document; their correspondents answer, the referent accepts or
returns. A package of the uploads floor: `Campaign.data_year` is unique, so a request is not a campaign."""
