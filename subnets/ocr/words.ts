/**
 * Common English words the OCR task's text lines are drawn from (lowercase a-z; case is varied when a line is
 * made). Written for this project; every character is in the PP-OCRv4 charset.
 */
const LIST = `
about above across act add after again against age ago agree air all almost alone along already also always
among amount and animal answer any appear apple area arm army around arrive art ask attack away baby back bad
bag ball bank bar base basket bear beat beauty bed before begin behind believe bell below best better between
big bird bit black blood blow blue board boat body bone book born both bottom box boy bread break bridge bright
bring broad brother brown build burn busy but buy call camp can capital captain car card care carry case cat
catch cause cell center century chair chance change charge chart check chief child choose church circle city
claim class clean clear climb clock close cloth cloud coast coat cold collect color column come common company
compare complete contain control cook cool copy corner correct cost cotton could count country course cover cow
create crop cross crowd cry current cut dance dark data date daughter day dead deal dear death decide deep
degree depend describe desert design detail develop differ direct discuss distant divide doctor dog dollar door
double down draw dream dress drink drive drop dry duck during dust duty each ear early earth east easy eat edge
effect egg eight either electric element else end enemy energy engine enough enter equal even evening event
ever every exact example except excite exercise expect experience explain eye face fact fair fall family famous
far farm fast father favor fear feed feel few field fight figure fill final find fine finger finish fire first
fish five flat floor flow flower fly follow food foot force forest form forward found four free fresh friend
front fruit full game garden gas gather general gentle get gift girl give glad glass gold good govern grand
grass gray great green ground group grow guess guide gun hair half hand happen happy hard hat have head hear
heart heat heavy help here high hill history hold hole home hope horse hot hotel hour house huge human hundred
hunt hurry idea inch include indicate industry insect instant instrument iron island job join joy jump just
keep key kill kind king kitchen know lake land language large last late laugh law lay lead learn least leave
left leg length less letter level library lie life lift light like line liquid list listen little live locate
long look lose loud love low machine magnet main major make man many map mark market mass master match material
matter may meant measure meat meet melody member metal method middle might mile milk million mind minute miss
modern moment money month moon more morning most mother motion mount mountain mouth move much music must name
nation natural nature near need neighbor never new next night nine noise noon north nose note nothing notice
noun number object observe ocean offer office often oil old once one only open operate opposite orange order
organ other our out over own oxygen page paint pair paper paragraph parent park part party pass past path
pattern pay people perhaps period person phrase pick picture piece pitch place plain plan plane planet plant
play please plural poem point pole poor popular port position possible pound power practice prepare present
press pretty print probable problem process produce product proper property protect prove provide pull push
put quart question quick quiet quite quotient race radio rail rain raise range rather reach read ready real
reason receive record red region remember repeat reply report represent require rest result rich ride right
ring rise river road rock roll room root rope rose round row rub rule run safe sail salt same sand save say
scale school science score sea search season seat second section see seed seem select self sell send sense
sentence separate serve set settle seven shape share sharp sheet shell shine ship shoe shop shore short should
shoulder shout show side sight sign silent silver similar simple since sing single sister sit six size skill
skin sky sleep slip slow small smell smile snow soft soil soldier solution solve some song soon sound south
space speak special speed spell spend spoke spot spread spring square stand star start state station stay
steam steel step stick still stone stop store story straight strange stream street stretch string strong
student study subject success sudden sugar suggest summer sun supply support sure surface surprise swim system
table tail take talk tall teach team teeth tell temperature ten term test than thank their then there these
thick thin thing think third this those though thousand three through throw thus ticket tie time tiny tire
today together tone tool top total touch toward town track trade train travel tree triangle trip trouble truck
true try tube turn twenty two type under unit until upon usual valley value vary very view village visit voice
vowel wait walk wall want war warm wash watch water wave way wear weather week weight well west wheel where
which while white whole wide wife wild will win wind window wing winter wire wish with woman wonder wood word
work world write wrong yard year yellow yes yet young
`;

/** The word list, in alphabetical order. */
export const OCR_WORDS: readonly string[] = Object.freeze(LIST.split(/\s+/).filter((word) => word.length > 0));
