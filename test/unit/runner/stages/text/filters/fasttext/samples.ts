/** Short real sentences in seven languages and scripts, written for these tests, with lid.176's label for each. */
export const SAMPLES: ReadonlyArray<{ lang: string; text: string }> = [
  { lang: 'en', text: 'The library opens at nine in the morning and closes early on Sundays.\nChildren can borrow up to five books at a time.' },
  { lang: 'fr', text: "La bibliothèque ouvre à neuf heures du matin et ferme plus tôt le dimanche. Les enfants peuvent emprunter jusqu'à cinq livres." },
  { lang: 'de', text: 'Die Bibliothek öffnet um neun Uhr morgens und schließt sonntags früher. Kinder dürfen bis zu fünf Bücher auf einmal ausleihen.' },
  { lang: 'zh', text: '图书馆早上九点开门，星期天提前关门。孩子们一次最多可以借五本书。' },
  { lang: 'ja', text: '図書館は朝九時に開館し、日曜日は早く閉まります。子どもは一度に五冊まで本を借りることができます。' },
  { lang: 'ru', text: 'Библиотека открывается в девять часов утра и закрывается раньше по воскресеньям. Дети могут брать до пяти книг за раз.' },
  { lang: 'ar', text: 'تفتح المكتبة أبوابها في الساعة التاسعة صباحا وتغلق مبكرا يوم الأحد. يمكن للأطفال استعارة خمسة كتب في المرة الواحدة.' },
];
